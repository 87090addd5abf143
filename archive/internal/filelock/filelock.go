//go:build unix

// Package filelock takes the archive file's OS lock (flock, the lock bbolt
// itself takes) around the checks parc runs before bbolt opens the file,
// so that a reader never checks a file a writer is changing, says when it
// has to wait for the lock, and keeps beside the archive, for information
// only, which process holds it for writing (PATH.pid: a stale one blocks
// nobody, the lock is the OS's).
package filelock

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// ErrTimeout: the lock was not free within the timeout.
var ErrTimeout = errors.New("file lock not free")

// retry is how often a held lock is tried again (bbolt tries every 50 ms).
const retry = 50 * time.Millisecond

// ReaderGrace is how long a writer waits for readers to release the file,
// whatever its own timeout: a reader holds it for a page of parc serve,
// an export or a show, and a crawl that cron starts meanwhile should not
// fail for that. Another writer is never waited for beyond the timeout.
const ReaderGrace = 30 * time.Second

// Wait is the timeout for bbolt's own lock after Check: a writer's waits
// for readers, as Check does.
func Wait(writer bool, timeout time.Duration) time.Duration {
	if writer {
		return max(timeout, ReaderGrace)
	}
	return timeout
}

// Check takes path's lock (shared, exclusive for a writer), waiting up to
// timeout (onWait, when set, is called once if it has to wait), and runs
// check under it. A reader keeps the shared lock until release, so that
// bbolt (which takes its own on another descriptor) opens what was checked;
// a writer's is released before Check returns, as bbolt's exclusive lock
// would wait for it. A missing file is not locked: there is nothing to
// check, bbolt creates it.
func Check(path string, writer bool, timeout time.Duration, onWait func(), check func() error) (release func(), err error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return func() {}, nil
	}
	if err != nil {
		return nil, err
	}
	how := unix.LOCK_SH
	if writer {
		how = unix.LOCK_EX
	}
	if err := lock(f, how, timeout, onWait); err != nil {
		f.Close()
		return nil, err
	}
	release = func() { f.Close() } // closing the descriptor releases its flock
	if err := check(); err != nil {
		release()
		return nil, err
	}
	if writer {
		release()
		return func() {}, nil
	}
	return release, nil
}

func lock(f *os.File, how int, timeout time.Duration, onWait func()) error {
	start := time.Now()
	for waited := false; ; waited = true {
		err := unix.Flock(int(f.Fd()), how|unix.LOCK_NB)
		if err == nil {
			return nil
		}
		if !errors.Is(err, unix.EWOULDBLOCK) && !errors.Is(err, unix.EINTR) {
			return fmt.Errorf("lock %s: %w", f.Name(), err)
		}
		deadline := start.Add(timeout)
		if how == unix.LOCK_EX && onlyReaders(f) {
			deadline = start.Add(max(timeout, ReaderGrace))
		}
		if !time.Now().Before(deadline) {
			return ErrTimeout
		}
		if how == unix.LOCK_SH {
			markWaiting(f.Name())
		}
		if !waited && onWait != nil {
			onWait()
		}
		time.Sleep(min(retry, time.Until(deadline)))
	}
}

// onlyReaders reports whether the lock on f that a writer cannot take is
// held by readers only: a shared lock can be taken (and is let go again).
func onlyReaders(f *os.File) bool {
	if unix.Flock(int(f.Fd()), unix.LOCK_SH|unix.LOCK_NB) != nil {
		return false
	}
	_ = unix.Flock(int(f.Fd()), unix.LOCK_UN)
	return true
}

// WaitingPath is the file whose modification time a reader waiting for
// the archive at path keeps fresh (every retry), so that a writer that
// can let go for a moment (parc watch between two pages) knows someone
// waits: Waiting.
func WaitingPath(path string) string { return path + ".waiting" }

// waitingFresh is how recent WaitingPath's time must be for a reader to
// be waiting still: a few retries.
const waitingFresh = 10 * retry

// markWaiting says that a reader waits for path, best effort (a reader
// may not write beside the archive).
func markWaiting(path string) {
	now := time.Now()
	if err := os.Chtimes(WaitingPath(path), now, now); errors.Is(err, os.ErrNotExist) {
		if f, err := os.OpenFile(WaitingPath(path), os.O_CREATE|os.O_WRONLY, 0o644); err == nil {
			f.Close()
		}
	}
}

// Waiting reports whether a reader waits for the archive at path now.
func Waiting(path string, now time.Time) bool {
	fi, err := os.Stat(WaitingPath(path))
	return err == nil && now.Sub(fi.ModTime()) < waitingFresh
}

// PIDPath is where the writer of the archive at path says who it is.
func PIDPath(path string) string { return path + ".pid" }

// WritePID notes this process as the archive's writer (pid and start
// time), best effort: it is information, not a lock.
func WritePID(path string, started time.Time) {
	_ = os.WriteFile(PIDPath(path), []byte(fmt.Sprintf("%d %s\n", os.Getpid(), started.UTC().Format(time.RFC3339))), 0o644)
}

// RemovePID removes the note, if it is this process's.
func RemovePID(path string) {
	if pid, _, ok := Holder(path); ok && pid == os.Getpid() {
		_ = os.Remove(PIDPath(path))
	}
}

// Holder reads the writer's note: its pid and start time.
func Holder(path string) (pid int, since time.Time, ok bool) {
	b, err := os.ReadFile(PIDPath(path))
	if err != nil {
		return 0, time.Time{}, false
	}
	f := strings.Fields(string(b))
	if len(f) != 2 {
		return 0, time.Time{}, false
	}
	pid, perr := strconv.Atoi(f[0])
	t, terr := time.Parse(time.RFC3339, f[1])
	return pid, t, perr == nil && terr == nil
}
