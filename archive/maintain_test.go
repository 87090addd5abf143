package archive

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/parc-archiver/parc/archive/internal/runlog"
	"github.com/parc-archiver/parc/record"
)

func TestMaintenance(t *testing.T) {
	ctx := context.Background()
	verifyClean := func(t *testing.T, a *Archive) {
		t.Helper()
		if probs, err := a.Verify(ctx); err != nil || len(probs) != 0 {
			t.Fatalf("verify: %v %v", probs, err)
		}
	}
	t.Run("backup", func(t *testing.T) {
		a, _ := filled(t)
		dst := filepath.Join(t.TempDir(), "backup.db")
		f, err := os.Create(dst)
		if err != nil {
			t.Fatal(err)
		}
		if err := a.Backup(ctx, f); err != nil {
			t.Fatal(err)
		}
		f.Close()
		b := reopen(t, dst, Options{ReadOnly: true})
		verifyClean(t, b)
		if got, want := ids(records(t, b, Filter{AllRevisions: true})), ids(records(t, a, Filter{AllRevisions: true})); got != want {
			t.Errorf("backup holds %q, want %q", got, want)
		}
	})
	t.Run("compact", func(t *testing.T) {
		a, _ := filled(t)
		dst := filepath.Join(t.TempDir(), "compact.db")
		if err := a.Compact(ctx, dst); err != nil {
			t.Fatal(err)
		}
		if err := a.Compact(ctx, dst); err == nil {
			t.Error("compact over an existing file succeeded")
		}
		b := reopen(t, dst, Options{ReadOnly: true})
		verifyClean(t, b)
		if got, want := ids(records(t, b, Filter{})), ids(records(t, a, Filter{})); got != want {
			t.Errorf("compacted holds %q, want %q", got, want)
		}
	})
	t.Run("redact", func(t *testing.T) {
		a, res := filled(t)
		if err := a.Redact(ctx, res[0].ID, "court order"); err != nil {
			t.Fatal(err)
		}
		verifyClean(t, a)
		h := mustGet(t, a, res[0].ID)
		if h.Redacted == nil || h.Redacted.Reason != "court order" || h.Record.Body != "" || h.Record.Title != "" {
			t.Errorf("after redact: %+v", h)
		}
		if got := ids(records(t, a, Filter{AllRevisions: true})); got != "Tiêu đề b.html@1" {
			t.Errorf("export after redact: %q", got)
		}
		n := 0
		if err := a.Captures(ctx, Filter{AllRevisions: true}, func(*record.Capture, string, string) error { n++; return nil }); err != nil {
			t.Fatal(err)
		}
		if s, _ := a.Stats(ctx); s.Captures != n || s.Redacted != 1 {
			t.Errorf("stats after redact: %+v (%d captures exported)", s, n)
		}
		// The article is recognised on refetch and not stored again.
		r := mustPut(t, a, page("https://vinachem.com.vn/nd/a.html", article("Tiêu đề", "Bài A, đã sửa."), time.Time{}))
		if r.ID != res[0].ID || r.Outcome != OutcomeUnchanged {
			t.Errorf("refetch of redacted: %+v", r)
		}
		if err := a.Redact(ctx, "0000000000000000", "x"); err == nil {
			t.Error("redacting an unknown id succeeded")
		}
	})
	t.Run("capture retention", func(t *testing.T) {
		a, _ := openTest(t, Options{KeepRaw: true, NoSync: true})
		url := "https://vinachem.com.vn/nd/a.html"
		for i := range 5 {
			p := page(url, article("T", "B"), time.Time{})
			p.Capture = &record.Capture{URL: url, Status: 200, Header: http.Header{}, Body: []byte{byte('a' + i)}}
			mustPut(t, a, p)
		}
		removed, err := a.RetainCaptures(ctx)
		if err != nil || removed != 3 {
			t.Fatalf("removed %d, err %v; want 3", removed, err)
		}
		var bodies string
		if err := a.Captures(ctx, Filter{}, func(c *record.Capture, _, _ string) error { bodies += string(c.Body); return nil }); err != nil {
			t.Fatal(err)
		}
		if bodies != "ae" {
			t.Errorf("kept captures %q, want first and last", bodies)
		}
		verifyClean(t, a)
	})
}

func TestMetaAndRuns(t *testing.T) {
	a, _ := openTest(t, Options{})
	if v, err := a.GetMeta("listings.walked"); err != nil || v != nil {
		t.Fatalf("unset meta: %q %v", v, err)
	}
	if err := a.SetMeta("listings.walked", []byte("1")); err != nil {
		t.Fatal(err)
	}
	if v, _ := a.GetMeta("listings.walked"); string(v) != "1" {
		t.Errorf("meta = %q", v)
	}
	for i := range runlog.Keep + 5 {
		if err := a.RecordRun(context.Background(), []byte(fmt.Sprintf(`{"run":%d}`, i))); err != nil {
			t.Fatal(err)
		}
	}
	s, err := a.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(s.LastRuns) != runlog.Keep || string(s.LastRuns[0]) != `{"run":5}` || string(s.LastRuns[runlog.Keep-1]) != `{"run":104}` {
		t.Errorf("last runs: %d, first %s", len(s.LastRuns), s.LastRuns[0])
	}
}
