package run

import (
	"bytes"
	"context"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parc-archiver/parc/archive"
	"github.com/parc-archiver/parc/internal/config"
	"github.com/parc-archiver/parc/sim"
)

// testPortal serves a simulated portal and returns it with a config for
// it (edited by edit, when set) whose archive is in a temporary directory.
func testPortal(t *testing.T, opts sim.Options, edit func(string) string) (*sim.Portal, *config.Config) {
	t.Helper()
	p := sim.New(opts)
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	text := p.Config(srv.URL)
	if edit != nil {
		text = edit(text)
	}
	cfg, err := config.Parse(strings.NewReader(text), "sim.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Archive.Path = filepath.Join(t.TempDir(), "parc.db")
	return p, cfg
}

// countRecords is how many records the archive at cfg's path holds.
func countRecords(t *testing.T, cfg *config.Config) int {
	t.Helper()
	a, err := archive.Open(cfg.Archive.Path, archive.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	st, err := a.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return st.Records
}

// stepClock is a clock whose timers fire only when the test says so: After
// reports each wait on waits and advances the time by it once fired.
type stepClock struct {
	mu    sync.Mutex
	now   time.Time
	waits chan time.Duration
	fire  chan time.Time
}

func (c *stepClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *stepClock) After(d time.Duration) <-chan time.Time {
	c.waits <- d
	out := make(chan time.Time, 1)
	go func() {
		t := <-c.fire
		c.mu.Lock()
		c.now = c.now.Add(d)
		c.mu.Unlock()
		out <- t
	}()
	return out
}

// syncBuffer is a bytes.Buffer safe for one writer and one reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Watch's loop crawls once at start, then waits crawl.every plus at most
// watch.jitter of it, and crawls again only when that time has passed:
// one crawl at a time, on the clock it is given.
func TestWatchLoopFollowsTheClock(t *testing.T) {
	p, cfg := testPortal(t, sim.Options{Articles: 30, Seed: 9}, func(cfg string) string {
		return strings.Replace(cfg, "  every: 30m\n", "  every: 10m\n", 1) + "watch:\n  jitter: 0.2\n"
	})
	clk := &stepClock{now: time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC), waits: make(chan time.Duration), fire: make(chan time.Time)}
	var stderr syncBuffer
	o := WatchOptions{Clock: clk, Stderr: &stderr, Crawl: CrawlOptions{Monitor: Monitor(cfg, nil)}}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- watchLoop(ctx, cfg, newSchedule(cfg.PortalConfigs()), o, slog.New(slog.DiscardHandler))
	}()

	for run := 1; run <= 3; run++ {
		d := <-clk.waits // crawl number run finished; the loop waits
		if d < 10*time.Minute || d > 12*time.Minute {
			t.Errorf("after run %d: waits %v, want 10m plus at most 20%% jitter", run, d)
		}
		if n := strings.Count(stderr.String(), "pages fetched"); n != run {
			t.Fatalf("after run %d: %d crawls ran:\n%s", run, n, stderr.String())
		}
		if run == 1 {
			p.Publish(2) // found by the next run
		}
		if run < 3 {
			clk.fire <- clk.Now()
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if n := countRecords(t, cfg); n != len(p.Truth()) {
		t.Errorf("%d records, want %d (the 2 published between runs included)", n, len(p.Truth()))
	}
}

func TestSchedule(t *testing.T) {
	const home, archive = "http://portal/", "http://portal/archive.html"
	const other = "http://member/"
	cfg := &config.Config{}
	cfg.Portal.Name = "group"
	cfg.Portal.StartURLs = []string{home, archive}
	cfg.Crawl.Every = config.Duration(24 * time.Hour)
	cfg.Watch.Cadence = []config.Cadence{{URL: home, Every: config.Duration(5 * time.Minute)}}
	member := &config.Config{}
	member.Portal.Name = "member"
	member.Portal.StartURLs = []string{other}
	member.Crawl.Every = config.Duration(time.Hour) // its own crawl.every
	s := newSchedule([]*config.Config{cfg, member})
	if s.tick != 5*time.Minute {
		t.Fatalf("tick %v, want the shortest interval, 5m", s.tick)
	}
	t0 := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	steps := []struct {
		name string
		at   time.Duration // since t0
		want map[string][]string
		ran  bool
	}{
		{"first run: everything", 0, map[string][]string{"group": {home, archive}, "member": {other}}, true},
		{"too early", 2 * time.Minute, nil, false},
		{"home after 5m", 5 * time.Minute, map[string][]string{"group": {home}}, true},
		{"home a little early (jitter slack)", 9*time.Minute + 30*time.Second, map[string][]string{"group": {home}}, false},
		{"a failed run leaves it due", 10 * time.Minute, map[string][]string{"group": {home}}, true},
		{"member after its hour", time.Hour, map[string][]string{"group": {home}, "member": {other}}, true},
		{"archive after a day", 24 * time.Hour, map[string][]string{"group": {home, archive}, "member": {other}}, true},
		{"next tick", 24*time.Hour + 5*time.Minute, map[string][]string{"group": {home}}, true},
	}
	for _, st := range steps {
		views, due := s.due(t0.Add(st.at))
		got := map[string][]string{}
		for _, v := range views {
			got[v.Portal.Name] = v.Portal.StartURLs
		}
		if len(got) != len(st.want) {
			t.Errorf("%s: due %v, want %v", st.name, got, st.want)
		}
		for name, urls := range st.want {
			if !slices.Equal(got[name], urls) {
				t.Errorf("%s: %s due %v, want %v", st.name, name, got[name], urls)
			}
		}
		if st.ran {
			for _, d := range due {
				s.ran(d, t0.Add(st.at))
			}
		}
	}
	if !slices.Equal(cfg.Portal.StartURLs, []string{home, archive}) {
		t.Errorf("the schedule changed the portal's own start URLs: %v", cfg.Portal.StartURLs)
	}
}
