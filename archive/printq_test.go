package archive

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
)

// unprinted lists the queued records as "seq:id" ("seq:-" when the
// record is gone or redacted).
func unprinted(t *testing.T, a *Archive, after uint64, limit int) (out []string, seqs []uint64) {
	t.Helper()
	us, err := a.Unprinted(context.Background(), after, limit)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range us {
		id := "-"
		if u.Record != nil {
			var r struct {
				ID string `json:"id"`
			}
			if err := json.Unmarshal(u.Record, &r); err != nil {
				t.Fatal(err)
			}
			id = r.ID
		}
		out = append(out, fmt.Sprintf("%d:%s", u.Seq, id))
		seqs = append(seqs, u.Seq)
	}
	return out, seqs
}

// A writer with PrintQueue queues each new record (not a revision, an
// alias or an unchanged page) in the transaction that stores it; the
// queue survives a restart, MarkPrinted empties it once committed, and a
// redacted record is listed without its text.
func TestPrintQueue(t *testing.T) {
	ctx := context.Background()
	clk := newClock()
	a, path := openTest(t, Options{Now: clk.Now})
	w := a.NewWriter(WriterOptions{PrintQueue: true})
	pages := []Page{
		page("https://www.vinachem.com.vn/nd/tin/mot.html", article("Một", "Thân bài một."), clk.Now()),
		page("https://www.vinachem.com.vn/nd/tin/hai.html", article("Hai", "Thân bài hai."), clk.Now()),
		page("https://www.vinachem.com.vn/nd/tin/mot.html", article("Một", "Thân bài một."), clk.Now()),      // unchanged
		page("https://www.vinachem.com.vn/nd/tin/hai.html", article("Hai", "Thân bài hai, sửa."), clk.Now()), // revised
		page("https://www.vinachem.com.vn/nd/tin/ba.html", article("Ba", "Thân bài ba."), clk.Now()),
	}
	for _, p := range pages {
		if err := w.Submit(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	mot, hai, ba := mustGet(t, a, pages[0].URL).Record.ID, mustGet(t, a, pages[1].URL).Record.ID, mustGet(t, a, pages[4].URL).Record.ID
	a.Close()
	a = reopen(t, path, Options{Now: clk.Now})
	got, seqs := unprinted(t, a, 0, 0)
	if want := []string{"1:" + mot, "2:" + hai, "3:" + ba}; !slices.Equal(got, want) {
		t.Fatalf("queued %v, want %v", got, want)
	}
	if got, _ := unprinted(t, a, 1, 1); !slices.Equal(got, []string{"2:" + hai}) {
		t.Fatalf("after 1, limit 1: %v", got)
	}
	if err := a.Redact(ctx, hai, "test"); err != nil {
		t.Fatal(err)
	}
	if got, _ := unprinted(t, a, 1, 1); !slices.Equal(got, []string{"2:-"}) {
		t.Fatalf("redacted record listed as %v, want without its text", got)
	}
	if err := a.MarkPrinted(ctx, seqs[:2]); err != nil {
		t.Fatal(err)
	}
	if err := a.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if got, _ := unprinted(t, a, 0, 0); !slices.Equal(got, []string{"3:" + ba}) {
		t.Fatalf("after marking 1 and 2 printed: %v", got)
	}
}
