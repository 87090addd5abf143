package archive

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// message is an outbox item that stores a small JSON object naming its
// sequence number, an event id and, optionally, the record it carries.
func message(event, recordID string) OutboxItem {
	return OutboxItem{Encode: func(seq uint64) ([]byte, error) {
		return []byte(fmt.Sprintf(`{"seq":%d,"event_id":%q,"record_id":%q}`, seq, event, recordID)), nil
	}}
}

// outbox lists the stored messages as "seq:value" strings.
func outbox(t *testing.T, a *Archive, after uint64, limit int) []string {
	t.Helper()
	var out []string
	if err := a.OutboxAfter(context.Background(), after, limit, func(seq uint64, v []byte) error {
		out = append(out, fmt.Sprintf("%d:%s", seq, v))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// The Outbox hook's messages are committed with the page that raised
// them, in sequence order, and survive a restart; a page that was not
// stored raises none.
func TestOutboxWithPages(t *testing.T) {
	ctx := context.Background()
	clk := newClock()
	a, path := openTest(t, Options{Now: clk.Now})
	hook := func(p Page, r Result) []OutboxItem {
		if r.Outcome != OutcomeNew && r.Outcome != OutcomeRevised {
			return nil
		}
		id := fmt.Sprintf("%s:%s:%d", r.Outcome, r.ID, r.Revision)
		return []OutboxItem{message(id, r.ID), message(id, r.ID)}
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
	got := outbox(t, a, 0, 0)
	var want []string
	for i, ev := range []string{"new:" + stored[0].ID + ":1", "new:" + stored[1].ID + ":1", "revised:" + stored[1].ID + ":2"} {
		id := stored[min(i, 1)].ID
		for j := range 2 {
			seq := 2*i + j + 1
			want = append(want, fmt.Sprintf(`%d:{"seq":%d,"event_id":%q,"record_id":%q}`, seq, seq, ev, id))
		}
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("outbox after a restart:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if got := outbox(t, a, 2, 3); len(got) != 3 || !strings.HasPrefix(got[0], "3:") {
		t.Errorf("after 2, limit 3: %q", got)
	}
	if n, _ := a.OutboxLen(ctx); n != 6 {
		t.Errorf("OutboxLen %d, want 6", n)
	}
}

// ReplaceOutbox rewrites a queued message and leaves a deleted one gone;
// DeleteOutbox of an unknown number is not an error.
func TestOutboxReplaceDelete(t *testing.T) {
	ctx := context.Background()
	a, _ := openTest(t, Options{})
	if err := a.Enqueue(ctx, []OutboxItem{message("a", ""), message("b", "")}); err != nil {
		t.Fatal(err)
	}
	if err := a.ReplaceOutbox(ctx, 1, []byte(`{"attempts":3}`)); err != nil {
		t.Fatal(err)
	}
	if err := a.DeleteOutbox(ctx, 2); err != nil {
		t.Fatal(err)
	}
	if err := a.ReplaceOutbox(ctx, 2, []byte(`{"late":true}`)); err != nil {
		t.Fatal(err)
	}
	if err := a.DeleteOutbox(ctx, 99); err != nil {
		t.Errorf("delete of an unknown message: %v", err)
	}
	if got := outbox(t, a, 0, 0); fmt.Sprint(got) != `[1:{"attempts":3}]` {
		t.Errorf("outbox = %q", got)
	}
}

func TestEnqueueAndReadOnly(t *testing.T) {
	ctx := context.Background()
	a, path := openTest(t, Options{})
	if err := a.Enqueue(ctx, []OutboxItem{message("crawl.failed:1", "")}); err != nil {
		t.Fatal(err)
	}
	a.Close()
	ro := reopen(t, path, Options{ReadOnly: true})
	if got := outbox(t, ro, 0, 0); len(got) != 1 || !strings.Contains(got[0], "crawl.failed:1") {
		t.Fatalf("read-only OutboxAfter: %q", got)
	}
	if err := ro.DeleteOutbox(ctx, 1); err == nil {
		t.Error("DeleteOutbox on a read-only archive succeeded")
	}
	// A fresh archive has no outbox bucket yet.
	b, _ := openTest(t, Options{})
	if got := outbox(t, b, 0, 0); len(got) != 0 {
		t.Errorf("empty outbox: %q", got)
	}
}

// A message that fails to encode fails its transaction: nothing of it is
// stored.
func TestEnqueueEncodeError(t *testing.T) {
	a, _ := openTest(t, Options{})
	bad := OutboxItem{Encode: func(uint64) ([]byte, error) { return nil, fmt.Errorf("no") }}
	if err := a.Enqueue(context.Background(), []OutboxItem{message("ok", ""), bad}); err == nil {
		t.Fatal("Enqueue with a failing encoder succeeded")
	}
	if got := outbox(t, a, 0, 0); len(got) != 0 {
		t.Errorf("outbox after a failed enqueue: %q", got)
	}
}

// Redacting an article drops its queued messages (they carry its text)
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
		if err := a.Enqueue(ctx, []OutboxItem{message("new:"+r.ID, r.ID)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.Enqueue(ctx, []OutboxItem{message("drift", "")}); err != nil {
		t.Fatal(err)
	}
	if err := a.Redact(ctx, ids[0], "court order"); err != nil {
		t.Fatal(err)
	}
	got := outbox(t, a, 0, 0)
	if len(got) != 2 || !strings.Contains(got[0], "new:"+ids[1]) || !strings.Contains(got[1], "drift") {
		t.Errorf("outbox after redact = %q, want the other article's message and drift", got)
	}
}
