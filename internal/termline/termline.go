// Package termline keeps a status line at the bottom of a terminal while
// other output (log records, messages) goes above it: each write first
// clears the line, then redraws it, so a log record is never glued onto
// it. On anything but a terminal (a pipe, a file, journald), or with
// TERM=dumb, there is no status line and writes pass as they are.
package termline

import (
	"bytes"
	"io"
	"os"
	"sync"
)

const clearLine = "\r\033[K"

// Line is standard error with a status line. It is safe for concurrent
// use.
type Line struct {
	mu   sync.Mutex
	w    io.Writer
	term bool
	cur  string // the status line shown; "" when none
}

// New returns w with a status line when w is a terminal (TERM not dumb).
func New(w io.Writer) *Line {
	return &Line{w: w, term: isTerminal(w) && os.Getenv("TERM") != "dumb"}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// Terminal reports whether l shows a status line.
func (l *Line) Terminal() bool { return l.term }

// Write writes p above the status line.
func (l *Line) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.term || l.cur == "" {
		return l.w.Write(p)
	}
	var b bytes.Buffer
	b.WriteString(clearLine)
	b.Write(p)
	if len(p) > 0 && p[len(p)-1] != '\n' {
		b.WriteByte('\n')
	}
	b.WriteString(l.cur)
	if _, err := l.w.Write(b.Bytes()); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Set shows s as the status line (nothing off a terminal); "" clears it.
func (l *Line) Set(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.term {
		return
	}
	l.cur = s
	_, _ = io.WriteString(l.w, clearLine+s)
}
