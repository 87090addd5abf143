package run

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// progress prints a status line every second while w is a terminal.
func progress(w io.Writer, line func() string) (stop func()) {
	f, ok := w.(*os.File)
	if !ok {
		return func() {}
	}
	if fi, err := f.Stat(); err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return func() {}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-done:
				fmt.Fprint(f, "\r\033[K")
				return
			case <-t.C:
				fmt.Fprintf(f, "\r\033[Kcrawling: %s", line())
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}
