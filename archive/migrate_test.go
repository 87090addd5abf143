package archive

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
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
	var out [][]byte
	if err := a.Records(context.Background(), Filter{AllRevisions: true}, func(raw []byte) error {
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
		if err == nil || !strings.Contains(err.Error(), "upgrade parc") {
			t.Errorf("read-only %v: %v, want a refusal saying to upgrade parc", ro, err)
		}
	}
}
