//go:build !unix

package filelock

import (
	"errors"
	"time"
)

// ErrTimeout: the lock was not free within the timeout.
var ErrTimeout = errors.New("file lock not free")

// Check runs check; without flock, bbolt's own lock is the only one.
func Check(path string, writer bool, timeout time.Duration, onWait func(), check func() error) (func(), error) {
	return func() {}, check()
}

func PIDPath(path string) string                             { return path + ".pid" }
func WritePID(path string, started time.Time)                {}
func RemovePID(path string)                                  {}
func Holder(path string) (pid int, since time.Time, ok bool) { return 0, time.Time{}, false }

// ReaderGrace and Wait: as on Unix (bbolt's own lock is the only one here).
const ReaderGrace = 30 * time.Second

func Wait(writer bool, timeout time.Duration) time.Duration {
	if writer {
		return max(timeout, ReaderGrace)
	}
	return timeout
}

// WaitingPath and Waiting: no reader says it waits without flock.
func WaitingPath(path string) string          { return path + ".waiting" }
func Waiting(path string, now time.Time) bool { return false }
