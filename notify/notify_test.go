package notify

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/parc-archiver/parc/archive"
	"github.com/parc-archiver/parc/record"
	"github.com/parc-archiver/parc/runrecord"
)

func TestSignAndVerify(t *testing.T) {
	// RFC-style known vector (HMAC-SHA256 of the pangram under "key").
	body := []byte("The quick brown fox jumps over the lazy dog")
	const want = "sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"
	if got := Sign("key", body); got != want {
		t.Fatalf("Sign = %s, want %s", got, want)
	}
	tests := []struct {
		name, secret, header string
		body                 []byte
		ok                   bool
	}{
		{"valid", "key", want, body, true},
		{"wrong secret", "other", want, body, false},
		{"changed body", "key", want, []byte("The quick brown fox jumps over the lazy cat"), false},
		{"no prefix", "key", want[len("sha256="):], body, false},
		{"not hex", "key", "sha256=zz", body, false},
		{"empty", "key", "", body, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Verify(tt.secret, tt.body, tt.header); got != tt.ok {
				t.Errorf("Verify = %v, want %v", got, tt.ok)
			}
		})
	}
}

func TestBuild(t *testing.T) {
	now := time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC)
	n := New(Options{Webhooks: []Webhook{{URL: "http://a/", Secret: "x"}, {URL: "http://b/"}}, Now: func() time.Time { return now }})
	rec := &record.Record{ID: "0123456789abcdef", Title: "Tiêu đề", Revision: 2}
	entries, err := n.Build(ArticleEvent(EventArticleRevised, rec, "vinachem", now))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 || entries[0].Target != "http://a/" || entries[1].Target != "http://b/" || entries[1].RecordID != rec.ID {
		t.Fatalf("entries %+v", entries)
	}
	var ev struct {
		ID, Event, Time, Portal string
		Article                 record.Record
	}
	if err := json.Unmarshal(entries[0].Body, &ev); err != nil {
		t.Fatal(err)
	}
	if ev.ID != "article.revised:0123456789abcdef:2" || ev.Event != EventArticleRevised || ev.Time != "2026-11-27T06:00:00Z" ||
		ev.Portal != "vinachem" || ev.Article.Title != "Tiêu đề" || entries[0].EventID != ev.ID || string(entries[1].Body) != string(entries[0].Body) {
		t.Errorf("event %+v entries %+v", ev, entries)
	}
	if got, _ := New(Options{}).Build(ev2()); got != nil {
		t.Errorf("entries without webhooks: %v", got)
	}
}

func ev2() Event { return RunEvent(EventCrawlFailed, "1", runrecord.Run{Pages: 3}, "p", time.Now()) }

// testOutbox is an Outbox in memory.
type testOutbox struct {
	mu      sync.Mutex
	entries []Entry
}

func (m *testOutbox) Pending(_ context.Context, now time.Time, after uint64, limit int) ([]Entry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Entry
	for _, e := range m.entries {
		if e.Seq > after && !e.NextAttempt.After(now) && (limit <= 0 || len(out) < limit) {
			out = append(out, e)
		}
	}
	return out, nil
}

func (m *testOutbox) MarkDelivered(_ context.Context, seq uint64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i, e := range m.entries {
		if e.Seq == seq {
			m.entries = append(m.entries[:i], m.entries[i+1:]...)
			return nil
		}
	}
	return nil
}

func (m *testOutbox) MarkFailed(_ context.Context, e Entry) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := range m.entries {
		if m.entries[i].Seq == e.Seq {
			m.entries[i].Attempts, m.entries[i].NextAttempt, m.entries[i].LastError = e.Attempts, e.NextAttempt, e.LastError
		}
	}
	return nil
}

// outboxItems are entries as the archive queues them.
func outboxItems(entries []Entry) []archive.OutboxItem {
	items := make([]archive.OutboxItem, len(entries))
	for i, e := range entries {
		items[i] = archive.OutboxItem{Encode: e.Encode}
	}
	return items
}

// hookServer answers 503 to request number i (from 1) when fail(i), else
// 204, and records the event ids it accepted with a valid signature.
type hookServer struct {
	mu       sync.Mutex
	secret   string
	fail     func(i int) bool
	requests int
	accepted []string
	srv      *httptest.Server
}

func newHookServer(t *testing.T, secret string, fail func(int) bool) *hookServer {
	h := &hookServer{secret: secret, fail: fail}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		defer h.mu.Unlock()
		h.requests++
		if h.fail(h.requests) {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		m := hmac.New(sha256.New, []byte(h.secret))
		m.Write(body)
		if r.Header.Get(HeaderSignature) != "sha256="+hex.EncodeToString(m.Sum(nil)) || r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("bad signature or content type: %v", r.Header)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		h.accepted = append(h.accepted, r.Header.Get(HeaderEventID))
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(h.srv.Close)
	return h
}

func (h *hookServer) setFail(fail func(int) bool) {
	h.mu.Lock()
	h.fail = fail
	h.mu.Unlock()
}

func firstN(n int) func(int) bool { return func(i int) bool { return i <= n } }
func always(int) bool             { return true }
func never(int) bool              { return false }

func (h *hookServer) got() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.accepted...)
}

// sleeper records the backoff waits instead of sleeping.
type sleeper struct{ waits []time.Duration }

func (s *sleeper) Sleep(ctx context.Context, d time.Duration) error {
	s.waits = append(s.waits, d)
	return ctx.Err()
}

func TestDeliverRetriesWithBackoff(t *testing.T) {
	h := newHookServer(t, "s", firstN(2))
	now := time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC)
	sl := &sleeper{}
	n := New(Options{Webhooks: []Webhook{{URL: h.srv.URL, Secret: "s"}}, Now: func() time.Time { return now }, Sleep: sl.Sleep})
	ob := &testOutbox{entries: []Entry{{Seq: 1, Target: h.srv.URL, EventID: "e1", Event: "article.new", Body: []byte(`{"id":"e1"}`)}}}
	rep, err := n.Deliver(context.Background(), ob)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Delivered != 1 || len(ob.entries) != 0 {
		t.Errorf("report %+v, outbox %+v", rep, ob.entries)
	}
	if want := []time.Duration{time.Second, 2 * time.Second}; len(sl.waits) != 2 || sl.waits[0] != want[0] || sl.waits[1] != want[1] {
		t.Errorf("backoff waits %v, want %v", sl.waits, want)
	}
	if got := h.got(); len(got) != 1 || got[0] != "e1" {
		t.Errorf("accepted %v", got)
	}
}

func TestDeliverLeavesFailuresForLater(t *testing.T) {
	down := newHookServer(t, "d", always)
	up := newHookServer(t, "u", never)
	now := time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC)
	sl := &sleeper{}
	n := New(Options{
		Webhooks: []Webhook{{URL: down.srv.URL, Secret: "d"}, {URL: up.srv.URL, Secret: "u"}},
		Now:      func() time.Time { return now }, Sleep: sl.Sleep, Attempts: 2, Backoff: time.Minute, MaxBackoff: 3 * time.Minute,
	})
	ob := &testOutbox{entries: []Entry{
		{Seq: 1, Target: down.srv.URL, EventID: "e1", Body: []byte("{}")},
		{Seq: 2, Target: up.srv.URL, EventID: "e1", Body: []byte("{}")},
		{Seq: 3, Target: down.srv.URL, EventID: "e2", Body: []byte("{}")},
		{Seq: 4, Target: "http://removed.invalid/", EventID: "e2", Body: []byte("{}")},
	}}
	rep, err := n.Deliver(context.Background(), ob)
	if err != nil {
		t.Fatal(err)
	}
	if rep != (Report{Delivered: 1, Failed: 1, Deferred: 1, Dropped: 1}) {
		t.Errorf("report %+v", rep)
	}
	if len(ob.entries) != 2 || ob.entries[0].Seq != 1 || ob.entries[0].Attempts != 2 ||
		!ob.entries[0].NextAttempt.Equal(now.Add(2*time.Minute)) || ob.entries[0].LastError == "" || ob.entries[1].Attempts != 0 {
		t.Errorf("outbox after the pass: %+v", ob.entries)
	}
	// Later calls back off further, up to MaxBackoff.
	for i, want := range []time.Duration{3 * time.Minute, 3 * time.Minute} {
		now = ob.entries[0].NextAttempt
		if _, err := n.Deliver(context.Background(), ob); err != nil {
			t.Fatal(err)
		}
		if got := ob.entries[0].NextAttempt.Sub(now); got != want {
			t.Errorf("call %d: next attempt in %v, want %v", i+2, got, want)
		}
	}
	if err := n.Send(context.Background(), ob.entries[0]); !errors.Is(err, ErrStatus) {
		t.Errorf("Send to a failing webhook: %v, want ErrStatus", err)
	}
}

// Deliveries are queued in the archive: a process that stops before, or in
// the middle of, delivering loses nothing, and what was delivered is not
// sent again after a restart.
func TestDeliveryAcrossRestarts(t *testing.T) {
	ctx := context.Background()
	h := newHookServer(t, "s", never)
	path := filepath.Join(t.TempDir(), "parc.db")
	n := New(Options{Webhooks: []Webhook{{URL: h.srv.URL, Secret: "s"}}, Sleep: (&sleeper{}).Sleep, Attempts: 1})
	open := func() *archive.Archive {
		a, err := archive.Open(path, archive.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	a := open()
	for _, id := range []string{"e1", "e2", "e3"} {
		entries, err := n.Build(Event{ID: id, Event: EventArticleNew})
		if err != nil {
			t.Fatal(err)
		}
		if err := a.Enqueue(ctx, outboxItems(entries)); err != nil {
			t.Fatal(err)
		}
	}
	// First process: the webhook accepts one delivery, then fails.
	h.setFail(func(i int) bool { return i > 1 })
	rep, err := n.Deliver(ctx, StoredOutbox(a))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Delivered != 1 || rep.Failed != 1 || rep.Deferred != 1 {
		t.Errorf("first process: %+v", rep)
	}
	a.Close()

	// Second process, after the backoff: the rest goes out, once.
	h.setFail(never)
	later := New(Options{Webhooks: []Webhook{{URL: h.srv.URL, Secret: "s"}}, Now: func() time.Time { return time.Now().Add(time.Hour) }})
	a = open()
	defer a.Close()
	if rep, err := later.Deliver(ctx, StoredOutbox(a)); err != nil || rep.Delivered != 2 {
		t.Errorf("second process: %+v, %v", rep, err)
	}
	if rep, err := later.Deliver(ctx, StoredOutbox(a)); err != nil || rep != (Report{}) {
		t.Errorf("third pass: %+v, %v", rep, err)
	}
	got := h.got()
	seen := map[string]int{}
	for _, id := range got {
		seen[id]++
	}
	if len(got) != 3 || seen["e1"] != 1 || seen["e2"] != 1 || seen["e3"] != 1 {
		t.Errorf("accepted %v, want e1, e2, e3 once each", got)
	}
}

func TestDeliverStopsWithContext(t *testing.T) {
	h := newHookServer(t, "s", always)
	ctx, cancel := context.WithCancel(context.Background())
	n := New(Options{Webhooks: []Webhook{{URL: h.srv.URL, Secret: "s"}}, Sleep: func(context.Context, time.Duration) error {
		cancel()
		return context.Canceled
	}})
	ob := &testOutbox{entries: []Entry{{Seq: 1, Target: h.srv.URL, EventID: "e1", Body: []byte("{}")}}}
	if _, err := n.Deliver(ctx, ob); !errors.Is(err, context.Canceled) {
		t.Errorf("Deliver after cancel: %v", err)
	}
	if len(ob.entries) != 1 || ob.entries[0].Attempts != 0 {
		t.Errorf("an interrupted delivery changed the outbox: %+v", ob.entries)
	}
}

// Deliver reads the outbox a page at a time and still gets through a
// backlog larger than a page, behind a webhook that is down.
func TestDeliverPagesThroughABacklog(t *testing.T) {
	down := newHookServer(t, "d", always)
	up := newHookServer(t, "u", never)
	now := time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC)
	n := New(Options{Webhooks: []Webhook{{URL: down.srv.URL, Secret: "d"}, {URL: up.srv.URL, Secret: "u"}},
		Now: func() time.Time { return now }, Sleep: (&sleeper{}).Sleep, Attempts: 1})
	ob := &testOutbox{}
	backlog := 3*deliverPage + 5
	for i := range backlog {
		id := fmt.Sprintf("e%d", i)
		ob.entries = append(ob.entries,
			Entry{Seq: uint64(2*i + 1), Target: down.srv.URL, EventID: id, Body: []byte("{}")},
			Entry{Seq: uint64(2*i + 2), Target: up.srv.URL, EventID: id, Body: []byte("{}")})
	}
	rep, err := n.Deliver(context.Background(), ob)
	if err != nil {
		t.Fatal(err)
	}
	if rep != (Report{Delivered: backlog, Failed: 1, Deferred: backlog - 1}) {
		t.Errorf("report %+v", rep)
	}
	if got := len(up.got()); got != backlog {
		t.Errorf("the working webhook got %d events, want %d", got, backlog)
	}
	if len(ob.entries) != backlog {
		t.Errorf("%d entries left, want the %d of the webhook that is down", len(ob.entries), backlog)
	}
}
