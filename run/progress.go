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

// progress shows line(): redrawn every second on a terminal's status line
// (w a StatusLine on a terminal); anywhere else, a timestamped line every
// statsEvery and one when stopped. A nil w shows nothing.
func progress(w io.Writer, clock Clock, line func(now time.Time) string) (stop func()) {
	if w == nil {
		return func() {}
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
			return
		}
		show(clock.Now())
	}
}
