package notify

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/parc-archiver/parc/archive"
	"github.com/parc-archiver/parc/runrecord"
)

// A StoredOutbox over the archive: entries come back in sequence order
// with their sequence numbers, a failed attempt's bookkeeping is stored
// and postpones the entry, a delivered one is gone, and limits and
// "after" page through what is due.
func TestStoredOutbox(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC)
	a, err := archive.Open(filepath.Join(t.TempDir(), "parc.db"), archive.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	var entries []Entry
	for _, id := range []string{"e1", "e2", "e3", "e4"} {
		entries = append(entries, Entry{Target: "http://hook/", EventID: id, Event: EventArticleNew, RecordID: "r" + id, Body: []byte(`{"id":"` + id + `"}`), Created: now})
	}
	if err := a.Enqueue(ctx, outboxItems(entries)); err != nil {
		t.Fatal(err)
	}
	ob := StoredOutbox(a)
	got, err := ob.Pending(ctx, now, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 {
		t.Fatalf("%d pending, want 4", len(got))
	}
	for i, e := range got {
		if e.Seq != uint64(i+1) || e.EventID != entries[i].EventID || e.RecordID != entries[i].RecordID || string(e.Body) != string(entries[i].Body) || !e.Created.Equal(now) {
			t.Errorf("entry %d: %+v", i, e)
		}
	}
	if err := ob.MarkDelivered(ctx, got[0].Seq); err != nil {
		t.Fatal(err)
	}
	failed := got[1]
	failed.Attempts, failed.NextAttempt, failed.LastError = 3, now.Add(time.Minute), "503"
	if err := ob.MarkFailed(ctx, failed); err != nil {
		t.Fatal(err)
	}
	if due, _ := ob.Pending(ctx, now, 0, 0); len(due) != 2 || due[0].Seq != 3 {
		t.Errorf("due now: %+v, want entries 3 and 4", due)
	}
	later := now.Add(time.Minute)
	due, _ := ob.Pending(ctx, later, 0, 2)
	if len(due) != 2 || due[0].Seq != 2 || due[0].Attempts != 3 || due[0].LastError != "503" || due[1].Seq != 3 {
		t.Errorf("due after the backoff (limit 2): %+v", due)
	}
	if rest, _ := ob.Pending(ctx, later, 3, 0); len(rest) != 1 || rest[0].Seq != 4 {
		t.Errorf("due after 3: %+v", rest)
	}
	// A failure recorded after the entry was delivered does not bring it back.
	gone := got[0]
	gone.Attempts = 1
	if err := ob.MarkFailed(ctx, gone); err != nil {
		t.Fatal(err)
	}
	if n, _ := a.OutboxLen(ctx); n != 3 {
		t.Errorf("OutboxLen %d, want 3", n)
	}
}

// SendNow delivers without any outbox.
func TestSendNow(t *testing.T) {
	h := newHookServer(t, "s", never)
	n := New(Options{Webhooks: []Webhook{{URL: h.srv.URL, Secret: "s"}}, Sleep: (&sleeper{}).Sleep})
	rep, err := n.SendNow(context.Background(), RunEvent(EventCrawlFailed, "1", runrecord.Run{}, "p", time.Now()))
	if err != nil || rep.Delivered != 1 {
		t.Fatalf("SendNow: %+v, %v", rep, err)
	}
	if got := h.got(); len(got) != 1 || got[0] != "crawl.failed:1" {
		t.Errorf("received %v", got)
	}
}
