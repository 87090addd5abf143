package main

import (
	"fmt"
	"io"
	"sync/atomic"
	"time"

	"github.com/parc-archiver/parc/run"
)

// progress shows, while a long command runs, name, what count says (nil:
// nothing) and the time elapsed: on a terminal's status line, else every
// 30 seconds (a command done sooner prints nothing).
func (c *common) progress(name string, count func() string) (stop func()) {
	start := time.Now()
	return run.Progress(c.e.stderr, nil, func(now time.Time) string {
		s := name + ": "
		if count != nil {
			s += count() + ", "
		}
		return s + now.Sub(start).Round(time.Second).String() + " elapsed"
	}, false)
}

// countingWriter counts the bytes written through it, for progress.
type countingWriter struct {
	w io.Writer
	n atomic.Int64
}

func (cw *countingWriter) Write(p []byte) (int, error) {
	n, err := cw.w.Write(p)
	cw.n.Add(int64(n))
	return n, err
}

func (cw *countingWriter) megabytes() string {
	return fmt.Sprintf("%.1f MB written", float64(cw.n.Load())/1e6)
}
