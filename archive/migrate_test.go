package archive

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/parc-archiver/parc/record"
)

// The steps are numbered from schema 1 without a gap, and the last one
// reaches SchemaVersion.
func TestMigrationsAreOrdered(t *testing.T) {
	ms := migrations()
	for i, m := range ms {
		if m.from != i+1 || m.apply == nil || m.what == "" {
			t.Errorf("step %d: from %d, what %q", i, m.from, m.what)
		}
	}
	if SchemaVersion != len(ms)+1 {
		t.Errorf("SchemaVersion %d, but the steps reach %d", SchemaVersion, len(ms)+1)
	}
}

// oldArchive unpacks testdata/old/NAME.db.gz into a temporary file and
// returns its path and the records the release exported from it.
func oldArchive(t *testing.T, name string) (path string, records [][]byte) {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "old", name+".db.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	db, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	path = filepath.Join(t.TempDir(), name+".db")
	if err := os.WriteFile(path, db, 0o600); err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join("testdata", "old", name+".jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	return path, bytes.Split(bytes.TrimSpace(want), []byte("\n"))
}

func schemaOf(t *testing.T, a *Archive) int {
	t.Helper()
	var v int
	if err := a.db.View(func(tx *bolt.Tx) error {
		var err error
		v, err = strconv.Atoi(string(tx.Bucket(bMeta).Get([]byte(metaSchema))))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return v
}

// storedRecords is every stored record and revision, as export copies them.
func storedRecords(t *testing.T, a *Archive) [][]byte {
	t.Helper()
	return filteredRecords(t, a, Filter{AllRevisions: true})
}

// filteredRecords is what an export with f copies.
func filteredRecords(t *testing.T, a *Archive, f Filter) [][]byte {
	t.Helper()
	var out [][]byte
	if err := a.Records(context.Background(), f, func(raw []byte) error {
		out = append(out, bytes.Clone(raw))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func sameRecords(t *testing.T, when string, got, want [][]byte) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d records, the release exported %d", when, len(got), len(want))
	}
	for i := range got {
		if !bytes.Equal(got[i], want[i]) {
			t.Errorf("%s: record %d\n got %s\nwant %s", when, i, got[i], want[i])
		}
	}
}

// An archive written by an earlier release reads as it is when opened
// read-only (schema untouched), is migrated by the first writable open
// (records byte for byte the same, Verify clean), and then takes new
// pages beside the old ones: an article it holds is recognised, a new
// one is stored with its capture, and old and new captures read back.
func TestOlderArchives(t *testing.T) {
	for _, tc := range []struct {
		name   string
		schema int
	}{{"v0.2.0", 1}, {"v0.4.0", 3}} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			path, want := oldArchive(t, tc.name)
			ro := reopen(t, path, Options{ReadOnly: true})
			if v := schemaOf(t, ro); v != tc.schema {
				t.Errorf("read-only open: schema %d, want %d (untouched)", v, tc.schema)
			}
			sameRecords(t, "read-only", storedRecords(t, ro), want)
			ro.Close()

			a := reopen(t, path, Options{KeepRaw: true})
			if v := schemaOf(t, a); v != SchemaVersion {
				t.Errorf("writable open: schema %d, want %d", v, SchemaVersion)
			}
			sameRecords(t, "migrated", storedRecords(t, a), want)
			if probs, err := a.Verify(ctx); err != nil || len(probs) != 0 {
				t.Fatalf("verify after migration: %v %v", probs, err)
			}
			var old record.Record
			if err := json.Unmarshal(want[len(want)-1], &old); err != nil {
				t.Fatal(err)
			}
			at := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
			again := page(old.URL, article(old.Title, old.Body), at)
			again.Article.Byline = old.Byline
			if r := mustPut(t, a, again); r.ID != old.ID || r.Outcome != OutcomeUnchanged {
				t.Errorf("refetch of an old article: %+v, want unchanged %s", r, old.ID)
			}
			c := benchCapture("https://www.vinachem.com.vn/nd/tin/moi.html", benchBody(7, 3), at)
			p := page(c.URL, article("Bài mới", "Nội dung mới."), at)
			p.Capture = c
			if r := mustPut(t, a, p); r.Outcome != OutcomeNew {
				t.Errorf("new article: %+v", r)
			}
			n := 0
			if err := a.Captures(ctx, Filter{}, func(c *record.Capture, _, _ string) error {
				n++
				return nil
			}); err != nil {
				t.Fatalf("captures after migration: %v", err)
			}
			if n < len(want) {
				t.Errorf("%d captures read back, want at least %d", n, len(want))
			}
			if probs, err := a.Verify(ctx); err != nil || len(probs) != 0 {
				t.Errorf("verify after new pages: %v %v", probs, err)
			}
		})
	}
}

// A migration killed between two steps is finished by the next open: the
// file is at an intermediate schema and the remaining steps run.
func TestMigrationResumesAfterAKill(t *testing.T) {
	path, want := oldArchive(t, "v0.2.0")
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	first := migrations()[0]
	if err := db.Update(func(tx *bolt.Tx) error {
		if err := first.apply(tx); err != nil {
			return err
		}
		return putSchema(tx, first.from+1)
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	a := reopen(t, path, Options{})
	if v := schemaOf(t, a); v != SchemaVersion {
		t.Errorf("schema %d after resuming, want %d", v, SchemaVersion)
	}
	sameRecords(t, "resumed", storedRecords(t, a), want)
}

// A migrated archive is refused by a parc that knows only older schemas,
// with a message that says to upgrade (what an older release prints).
func TestNewerSchemaRefused(t *testing.T) {
	path, _ := oldArchive(t, "v0.4.0")
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *bolt.Tx) error { return putSchema(tx, SchemaVersion+1) }); err != nil {
		t.Fatal(err)
	}
	db.Close()
	for _, ro := range []bool{true, false} {
		_, err := Open(path, Options{ReadOnly: ro})
		if err == nil || !strings.Contains(err.Error(), "upgrade parc") || !strings.Contains(err.Error(), fmt.Sprintf("has schema %d", SchemaVersion+1)) || !errors.Is(err, ErrSchema) {
			t.Errorf("read-only %v: %v, want a refusal naming schema %d and saying to upgrade parc", ro, err, SchemaVersion+1)
		}
	}
}

// Schema 5 to 6 registers the portal a 0.4.0 archive's records carry; its
// frontier (run state, queue) resumes under that portal, another portal
// starts its own, and the records export as the release exported them.
func TestMigrationRegistersPortal(t *testing.T) {
	ctx := context.Background()
	path, want := oldArchive(t, "v0.4.0")
	ro := reopen(t, path, Options{ReadOnly: true})
	before, err := ro.Stats(ctx)
	if err != nil || before.Run == 0 {
		t.Fatalf("fixture: stats %+v %v, want a crawl run", before, err)
	}
	if n := len(filteredRecords(t, ro, Filter{Portals: []string{"vinachem-sim"}, AllRevisions: true})); n != len(want) {
		t.Errorf("read-only, unmigrated: %d records of the portal, want %d", n, len(want))
	}
	ro.Close()

	a := reopen(t, path, Options{Portal: "configured-later"})
	defer a.Close()
	ps, err := a.Portals(ctx)
	if err != nil || len(ps) != 1 || ps[0].Name != "vinachem-sim" || ps[0].Records != before.Records {
		t.Fatalf("portals after migration: %+v %v; want vinachem-sim with %d records", ps, err, before.Records)
	}
	if ps[0].Run != before.Run || ps[0].Pending != before.Pending {
		t.Errorf("portal's frontier %+v, the archive had run %d with %d pending", ps[0], before.Run, before.Pending)
	}
	sameRecords(t, "migrated, the portal's", filteredRecords(t, a, Filter{Portals: []string{"vinachem-sim"}, AllRevisions: true}), want)
	verifyClean(t, a)
	f, err := a.Frontier(ctx, FrontierOptions{Portal: "vinachem-sim"})
	if err != nil {
		t.Fatal(err)
	}
	wantRun := before.Run
	if before.RunFinished {
		wantRun++
	}
	if f.Run() != wantRun {
		t.Errorf("frontier of the migrated portal: run %d, want %d", f.Run(), wantRun)
	}
	g, err := a.Frontier(ctx, FrontierOptions{}) // Options.Portal: a second portal
	if err != nil || g.Run() != 1 || g.Pending() != 0 {
		t.Fatalf("a new portal's frontier: %v", err)
	}
	if got := portalNames(t, a); !slices.Equal(got, []string{fmt.Sprintf("vinachem-sim:%d", before.Records), "configured-later:0"}) {
		t.Errorf("portals %v", got)
	}
}

// An old archive whose records carry two portal names (the config's name
// changed between crawls) gets both registered: the newest record's owns
// the first number, the other's records move into their own scope.
func TestMigrationOfTwoPortalNames(t *testing.T) {
	path, want := oldArchive(t, "v0.4.0")
	var first record.Record
	if err := json.Unmarshal(want[0], &first); err != nil {
		t.Fatal(err)
	}
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *bolt.Tx) error {
		for _, m := range migrations()[2:4] { // schema 3 to 5
			if err := m.apply(tx); err != nil {
				return err
			}
		}
		if err := putSchema(tx, 5); err != nil {
			return err
		}
		js, err := openStored(tx.Bucket(bRecords).Get([]byte(first.ID)))
		if err != nil {
			return err
		}
		var r record.Record
		if err := json.Unmarshal(js, &r); err != nil {
			return err
		}
		r.Portal = "old-name"
		js, _ = json.Marshal(&r)
		return putRecord(tx, first.ID, js)
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	a := reopen(t, path, Options{NoSync: true})
	defer a.Close()
	if got := portalNames(t, a); len(got) != 2 || !strings.HasPrefix(got[0], "vinachem-sim:") || got[1] != "old-name:1" {
		t.Fatalf("portals %v", got)
	}
	verifyClean(t, a)
	if rs := records(t, a, Filter{Portals: []string{"old-name"}}); len(rs) != 1 || rs[0].ID != first.ID {
		t.Errorf("old-name's records: %v", rs)
	}
	// Its content is no longer the other portal's to dedup against.
	p := portalPage("vinachem-sim", "https://www.vinachem.com.vn/nd/tin/ban-sao.html", article(first.Title, first.Body), time.Now())
	p.Article.Byline = first.Byline
	if r := mustPut(t, a, p); r.Outcome != OutcomeNew || r.Record.NearDuplicateOf != first.ID {
		t.Errorf("its content stored by the first portal: %v near %q, want new near %s", r.Outcome, r.Record.NearDuplicateOf, first.ID)
	}
	verifyClean(t, a)
}
