package archive

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/parc-archiver/parc/record"
)

func currentRecord(tb testing.TB, a *Archive, url string) record.Record {
	tb.Helper()
	h, err := a.Get(context.Background(), url)
	if err != nil {
		tb.Fatalf("get %s: %v", url, err)
	}
	return h.Record
}

func TestMarkGone(t *testing.T) {
	ctx := context.Background()
	a, _ := openTest(t, Options{})
	t0 := time.Date(2024, 3, 1, 8, 0, 0, 0, time.UTC)
	const url = "https://www.vinachem.com.vn/nd/tin-tap-doan/bai-mot.html"
	const alias = "https://www.vinachem.com.vn/nd/tin-thi-truong/bai-mot.html"
	art := article("Bài một", "Đoạn một.\n\nĐoạn hai.")
	mustPut(t, a, page(url, art, t0))
	if r := mustPut(t, a, page(alias, art, t0)); r.Outcome != OutcomeAlias {
		t.Fatalf("second url: %v, want alias", r.Outcome)
	}
	w := a.NewWriter(WriterOptions{})
	defer w.Close()

	steps := []struct {
		name      string
		url       string
		at        time.Time
		want      GoneOutcome
		wantErr   error
		wantSince string
	}{
		{"unknown url", "https://www.vinachem.com.vn/nd/tin-tap-doan/khong-co.html", t0, 0, ErrNotFound, ""},
		{"an alias does not mark the article", alias, t0.Add(time.Hour), GoneAlias, nil, ""},
		{"own url marks it", url, t0.Add(2 * time.Hour), GoneMarked, nil, "2024-03-01T10:00:00Z"},
		{"the first time seen gone is kept", url + "#x", t0.Add(3 * time.Hour), GoneAlready, nil, "2024-03-01T10:00:00Z"},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			before, err := a.CurrentSeq(ctx)
			if err != nil {
				t.Fatal(err)
			}
			got, err := w.MarkGone(ctx, st.url, st.at.In(time.FixedZone("ICT", 7*3600)))
			if !errors.Is(err, st.wantErr) || got != st.want {
				t.Fatalf("MarkGone = %v, %v; want %v, %v", got, err, st.want, st.wantErr)
			}
			r := currentRecord(t, a, url)
			if r.GoneSince != st.wantSince {
				t.Errorf("gone_since %q, want %q", r.GoneSince, st.wantSince)
			}
			after, _ := a.CurrentSeq(ctx)
			if moved := after > before; moved != (st.want == GoneMarked) {
				t.Errorf("change sequence %d -> %d after %v", before, after, got)
			}
		})
	}

	// Never deleted: exports still carry it, and the archive verifies.
	var n int
	err := a.Records(ctx, Filter{}, func(raw []byte) error {
		var r record.Record
		if err := json.Unmarshal(raw, &r); err != nil {
			return err
		}
		if r.URL == url && r.GoneSince == "" {
			t.Errorf("exported record lost gone_since")
		}
		n++
		return nil
	})
	if err != nil || n != 1 {
		t.Fatalf("records: %d, %v", n, err)
	}
	if problems, err := a.Verify(ctx); err != nil || len(problems) > 0 {
		t.Fatalf("verify: %v %v", problems, err)
	}

	// It comes back: fetched again with the same content, gone_since is
	// cleared without a new revision; a later change revises as usual.
	r := mustPut(t, a, page(url, art, t0.Add(4*time.Hour)))
	if cur := currentRecord(t, a, url); r.Outcome != OutcomeUnchanged || cur.GoneSince != "" || cur.Revision != 1 {
		t.Errorf("back: outcome %v, gone_since %q, revision %d", r.Outcome, cur.GoneSince, cur.Revision)
	}
	if _, err := w.MarkGone(ctx, url, t0.Add(5*time.Hour)); err != nil {
		t.Fatal(err)
	}
	mustPut(t, a, page(url, article("Bài một (sửa)", "Đoạn một.\n\nĐoạn ba."), t0.Add(6*time.Hour)))
	if cur := currentRecord(t, a, url); cur.GoneSince != "" || cur.Revision != 2 {
		t.Errorf("revised after gone: gone_since %q, revision %d", cur.GoneSince, cur.Revision)
	}
	if problems, err := a.Verify(ctx); err != nil || len(problems) > 0 {
		t.Fatalf("verify: %v %v", problems, err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := w.MarkGone(ctx, url, t0); !errors.Is(err, ErrClosed) {
		t.Errorf("MarkGone on a closed writer: %v", err)
	}
}
