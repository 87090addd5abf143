package archive

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// The Outbox hook's entries are committed with the page that raised them,
// survive a restart, and leave the outbox once delivered.
func TestOutboxWithPages(t *testing.T) {
	ctx := context.Background()
	clk := newClock()
	a, path := openTest(t, Options{Now: clk.Now})
	hook := func(p Page, r Result) []OutboxEntry {
		if r.Outcome != OutcomeNew && r.Outcome != OutcomeRevised {
			return nil
		}
		id := fmt.Sprintf("%s:%s:%d", r.Outcome, r.ID, r.Revision)
		return []OutboxEntry{
			{Target: "http://a/", EventID: id, Event: r.Outcome.String(), Body: []byte(`{"id":"` + id + `"}`)},
			{Target: "http://b/", EventID: id, Event: r.Outcome.String(), Body: []byte(`{"id":"` + id + `"}`)},
		}
	}
	var stored []Result
	w := a.NewWriter(WriterOptions{Outbox: hook, OnResult: func(_ Page, r Result, err error) {
		if err == nil {
			stored = append(stored, r)
		}
	}})
	pages := []Page{
		page("https://www.vinachem.com.vn/nd/tin/mot.html", article("Một", "Thân bài một."), clk.Now()),
		page("https://www.vinachem.com.vn/nd/tin/hai.html", article("Hai", "Thân bài hai."), clk.Now()),
		page("https://www.vinachem.com.vn/nd/tin/mot.html", article("Một", "Thân bài một."), clk.Now()),      // unchanged
		page("https://www.vinachem.com.vn/nd/tin/hai.html", article("Hai", "Thân bài hai, sửa."), clk.Now()), // revised
		{URL: "https://www.vinachem.com.vn/nd/tin/ba.html"},                                                  // invalid: no article
	}
	for _, p := range pages {
		if err := w.Submit(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if len(stored) != 4 {
		t.Fatalf("%d pages stored, want 4", len(stored))
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}

	a = reopen(t, path, Options{Now: clk.Now})
	got, err := a.Pending(ctx, clk.Now(), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"new:" + stored[0].ID + ":1", "new:" + stored[0].ID + ":1",
		"new:" + stored[1].ID + ":1", "new:" + stored[1].ID + ":1",
		"revised:" + stored[1].ID + ":2", "revised:" + stored[1].ID + ":2",
	}
	if len(got) != len(want) {
		t.Fatalf("%d pending entries after a restart, want %d: %+v", len(got), len(want), got)
	}
	for i, e := range got {
		if e.EventID != want[i] || e.Seq == 0 || (i > 0 && e.Seq <= got[i-1].Seq) || !e.Created.Equal(clk.Now()) {
			t.Errorf("entry %d: %+v, want event %s in sequence order", i, e, want[i])
		}
	}

	// Settle: deliver one, fail one (retry later), and check what is due.
	if err := a.MarkDelivered(ctx, got[0].Seq); err != nil {
		t.Fatal(err)
	}
	if err := a.MarkFailed(ctx, got[1].Seq, 3, clk.Now().Add(time.Minute), "503"); err != nil {
		t.Fatal(err)
	}
	if err := a.MarkFailed(ctx, 9999, 1, clk.Now(), "gone"); err != nil {
		t.Errorf("MarkFailed of an unknown entry: %v", err)
	}
	due, err := a.Pending(ctx, clk.Now(), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(due) != 4 || due[0].Seq != got[2].Seq {
		t.Errorf("due now: %d entries starting at %d, want 4 starting at %d", len(due), due[0].Seq, got[2].Seq)
	}
	if n, _ := a.OutboxLen(ctx); n != 5 {
		t.Errorf("OutboxLen %d, want 5", n)
	}
	clk.Advance(time.Minute)
	due, _ = a.Pending(ctx, clk.Now(), 0, 2)
	if len(due) != 2 || due[0].Seq != got[1].Seq || due[0].Attempts != 3 || due[0].LastError != "503" {
		t.Errorf("due after the backoff (limit 2): %+v", due)
	}
	if rest, _ := a.Pending(ctx, clk.Now(), due[1].Seq, 0); len(rest) != 3 || rest[0].Seq <= due[1].Seq {
		t.Errorf("due after seq %d: %+v, want the 3 later entries", due[1].Seq, rest)
	}
}

func TestEnqueueAndReadOnly(t *testing.T) {
	ctx := context.Background()
	a, path := openTest(t, Options{})
	if err := a.Enqueue(ctx, []OutboxEntry{{Target: "http://a/", EventID: "crawl.failed:1", Body: []byte("{}")}}); err != nil {
		t.Fatal(err)
	}
	a.Close()
	ro := reopen(t, path, Options{ReadOnly: true})
	got, err := ro.Pending(ctx, time.Now(), 0, 0)
	if err != nil || len(got) != 1 || got[0].EventID != "crawl.failed:1" {
		t.Fatalf("read-only Pending: %+v, %v", got, err)
	}
	if err := ro.MarkDelivered(ctx, got[0].Seq); err == nil {
		t.Error("MarkDelivered on a read-only archive succeeded")
	}
	// A fresh archive has no outbox bucket yet.
	b, _ := openTest(t, Options{})
	if got, err := b.Pending(ctx, time.Now(), 0, 0); err != nil || len(got) != 0 {
		t.Errorf("empty outbox: %v, %v", got, err)
	}
}

// Redacting an article drops its pending deliveries (they carry its text)
// and keeps the others.
func TestRedactDropsPendingDeliveries(t *testing.T) {
	ctx := context.Background()
	a, _ := openTest(t, Options{})
	var ids []string
	for _, u := range []string{"https://www.vinachem.com.vn/nd/tin/mot.html", "https://www.vinachem.com.vn/nd/tin/hai.html"} {
		r, err := a.Put(ctx, page(u, article(u, "Thân bài "+u), time.Time{}))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
		if err := a.Enqueue(ctx, []OutboxEntry{{Target: "http://hook/", EventID: "new:" + r.ID, Event: "article.new", RecordID: r.ID, Body: []byte("{}")}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.Enqueue(ctx, []OutboxEntry{{Target: "http://hook/", EventID: "drift", Event: "profile_drift", Body: []byte("{}")}}); err != nil {
		t.Fatal(err)
	}
	if err := a.Redact(ctx, ids[0], "court order"); err != nil {
		t.Fatal(err)
	}
	got, err := a.Pending(ctx, time.Now(), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var events []string
	for _, e := range got {
		events = append(events, e.EventID)
	}
	if want := []string{"new:" + ids[1], "drift"}; fmt.Sprint(events) != fmt.Sprint(want) {
		t.Errorf("pending after redact = %v, want %v", events, want)
	}
}
