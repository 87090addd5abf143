package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parc-archiver/parc/sim"
)

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

// parc watch crawls once at start, then waits crawl.every plus at most
// watch.jitter of it, and crawls again only when that time has passed:
// one crawl at a time, on the clock it is given.
func TestWatchLoopFollowsTheClock(t *testing.T) {
	p := newPortal(t, sim.Options{Articles: 30, Seed: 9}, func(cfg string) string {
		return strings.Replace(cfg, "  every: 30m\n", "  every: 10m\n", 1) + "watch:\n  jitter: 0.2\n"
	})
	clk := &stepClock{now: time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC), waits: make(chan time.Duration), fire: make(chan time.Time)}
	var stderr bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: &stderr, clock: clk}
	c := newFlags(e, "watch", "watch")
	if err := c.parse([]string{"--config", p.config, "--archive", p.db}); err != nil {
		t.Fatal(err)
	}
	cfg, err := c.load()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- watchLoop(ctx, cfg, newSchedule(cfg), crawlFlags{mon: newMonitor(cfg, nil)}, c, e, c.logger())
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
			p.sim.Publish(2) // found by the next run
		}
		if run < 3 {
			clk.fire <- clk.Now()
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	recs := p.records(t)
	if len(recs) != len(p.sim.Truth()) {
		t.Errorf("%d records, want %d (the 2 published between runs included)", len(recs), len(p.sim.Truth()))
	}
}
