package archive

import (
	"testing"
)

// A writer waits for readers (a page of parc serve, an export) to let the
// archive go instead of failing at once, and says so; it still fails at
// once on another writer (TestLocking).
func TestWriterWaitsForReaders(t *testing.T) {
	a, path := openTest(t, Options{})
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	r := reopen(t, path, Options{ReadOnly: true})
	waiting := make(chan struct{})
	opened := make(chan error, 1)
	go func() {
		w, err := Open(path, Options{OnWait: func() { close(waiting) }})
		if err == nil {
			err = w.Close()
		}
		opened <- err
	}()
	select {
	case <-waiting: // the writer found the reader's lock and waits
	case err := <-opened:
		t.Fatalf("the writer did not wait for the reader: %v", err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-opened; err != nil {
		t.Errorf("writer after the reader closed: %v", err)
	}
}
