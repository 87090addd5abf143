//go:build unix

package filelock

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// A reader that waits for a writer's lock says so beside the archive
// while it waits, and stops saying it once it got in.
func TestReaderWaitingIsVisibleToTheWriter(t *testing.T) {
	path := filepath.Join(t.TempDir(), "parc.db")
	if err := os.WriteFile(path, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	w, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if err := unix.Flock(int(w.Fd()), unix.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	if Waiting(path, time.Now()) {
		t.Fatal("a reader is said to wait before any came")
	}
	waiting := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		release, err := Check(path, false, time.Minute, func() { close(waiting) }, func() error { return nil })
		if err == nil {
			release()
		}
		done <- err
	}()
	<-waiting
	if !Waiting(path, time.Now()) {
		t.Error("the writer does not see the reader waiting")
	}
	if err := unix.Flock(int(w.Fd()), unix.LOCK_UN); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if Waiting(path, time.Now().Add(waitingFresh)) {
		t.Error("a reader that got in is still said to wait")
	}
}
