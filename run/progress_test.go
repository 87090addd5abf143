package run

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parc-archiver/parc/crawler"
)

// tickClock is a Clock whose After channels fire when the test says.
type tickClock struct {
	now  time.Time
	tick chan time.Time
}

func (c *tickClock) Now() time.Time                       { return c.now }
func (c *tickClock) After(time.Duration) <-chan time.Time { return c.tick }

// lines collects what is written, a line at a time, and signals each.
type lines struct {
	mu   sync.Mutex
	got  []string
	seen chan struct{}
}

func (l *lines) Write(p []byte) (int, error) {
	l.mu.Lock()
	l.got = append(l.got, string(p))
	l.mu.Unlock()
	l.seen <- struct{}{}
	return len(p), nil
}

// statusLine is a terminal's status line, for the test.
type statusLine struct {
	lines
}

func (s *statusLine) Terminal() bool  { return true }
func (s *statusLine) Set(line string) { _, _ = s.Write([]byte("SET " + line)) }

// Without a terminal, progress prints a timestamped line at each tick of
// its 30-second clock and one when stopped; on a terminal it redraws the
// status line each tick and clears it when stopped.
func TestProgressLines(t *testing.T) {
	at := time.Date(2026, 12, 2, 7, 0, 30, 0, time.UTC)
	for _, term := range []bool{false, true} {
		clk := &tickClock{now: at.Add(time.Minute), tick: make(chan time.Time)}
		var w interface {
			Write([]byte) (int, error)
		}
		var got func() []string
		if term {
			s := &statusLine{lines{seen: make(chan struct{}, 4)}}
			w, got = s, func() []string { return s.got }
		} else {
			l := &lines{seen: make(chan struct{}, 4)}
			w, got = l, func() []string { return l.got }
		}
		stop := progress(w, clk, func(now time.Time) string { return "crawl: 7 pages at " + now.Format("15:04:05") })
		clk.tick <- at
		stop()
		want := []string{"2026-12-02T07:00:30Z crawl: 7 pages at 07:00:30\n", "2026-12-02T07:01:30Z crawl: 7 pages at 07:01:30\n"}
		if term {
			want = []string{"SET crawl: 7 pages at 07:00:30", "SET "}
		}
		if strings.Join(got(), "|") != strings.Join(want, "|") {
			t.Errorf("terminal %v: got %q, want %q", term, got(), want)
		}
	}
}

func TestProgressLine(t *testing.T) {
	got := progressLine(crawler.Stats{Pages: 120, Failed: 2}, 240, Summary{New: 90, Revised: 3, StoreErrors: 1}, time.Minute)
	want := "crawl: 120 pages fetched (2.0/s), 240 queued, 3 failed, 90 new, 3 updated, 1m0s elapsed, about 2m0s left"
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}
