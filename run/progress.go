package run

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// StatusLine is a terminal's status line that other output goes above
// (internal/termline.Line).
type StatusLine interface {
	io.Writer
	Terminal() bool
	Set(line string)
}

// statsEvery is how often a run without a terminal prints its stats line
// (as Scrapy's LogStats).
const statsEvery = 30 * time.Second

// progress is Progress for a crawl: its last line is printed when stopped.
func progress(w io.Writer, clock Clock, line func(now time.Time) string) (stop func()) {
	return Progress(w, clock, line, true)
}

// Progress shows line(): redrawn every second on a terminal's status line
// (w a StatusLine on a terminal); anywhere else, a timestamped line every
// 30 seconds and, when final, one when stopped. A nil w shows nothing; a
// nil clock is the real one. The commands that can run for minutes
// (export, verify, compact, reextract) show it too.
func Progress(w io.Writer, clock Clock, line func(now time.Time) string, final bool) (stop func()) {
	if w == nil {
		return func() {}
	}
	if clock == nil {
		clock = realClock{}
	}
	sl, term := w.(StatusLine)
	term = term && sl.Terminal()
	every := statsEvery
	if term {
		every = time.Second
	}
	show := func(now time.Time) {
		if term {
			sl.Set(line(now))
			return
		}
		fmt.Fprintf(w, "%s %s\n", now.UTC().Format(time.RFC3339), line(now))
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			select {
			case <-done:
				return
			case now := <-clock.After(every):
				show(now)
			}
		}
	})
	return func() {
		close(done)
		wg.Wait()
		if term {
			sl.Set("")
		} else if final {
			show(clock.Now())
		}
	}
}
