package pagefile

import (
	"errors"
	"os"
	"testing"
	"time"
)

func later(t *testing.T, path string, d time.Duration) time.Time {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	s, ok := stampOf(fi, Meta{})
	if !ok {
		t.Fatal("no stamp on Linux")
	}
	return time.Unix(0, s.ctime).Add(d)
}

// A file walked sound is stamped; written after that, it is walked again
// and its damage found.
func TestStampedFileIsWalkedAgainOnceWritten(t *testing.T) {
	path := testDB(t)
	if err := Sound(path, Opening{Now: later(t, path, time.Minute)}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + stampSuffix); err != nil {
		t.Fatalf("no stamp after a sound walk: %v", err)
	}
	damageBranch(t, path)
	if err := Sound(path, Opening{Now: later(t, path, time.Minute)}); !errors.Is(err, ErrDamaged) {
		t.Errorf("written after its stamp: %v, want ErrDamaged", err)
	}
}

// A stamp that matches the file skips the walk (shown here by a stamp
// forged to match a damaged file); recheck walks anyway.
func TestStampSkipsTheWalkUnlessRecheck(t *testing.T) {
	path := testDB(t)
	damageBranch(t, path)
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	m, err := Check(path)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := stampOf(fi, m)
	if err := os.WriteFile(path+stampSuffix, []byte(s.String()+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	now := later(t, path, time.Minute)
	if err := Sound(path, Opening{Now: now}); err != nil {
		t.Errorf("stamped: %v, want the walk skipped", err)
	}
	if err := Sound(path, Opening{Recheck: true, Now: now}); !errors.Is(err, ErrDamaged) {
		t.Errorf("recheck: %v, want ErrDamaged", err)
	}
}

// A file changed less than settle before the walk is not stamped:
// a write right after could leave its change time as it was.
func TestFreshFileIsNotStamped(t *testing.T) {
	path := testDB(t)
	if err := Sound(path, Opening{Now: later(t, path, settleOf(t, path)/2)}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + stampSuffix); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("stamp of a fresh file: %v", err)
	}
}

// settleOf is settle for the file at path's change time.
func settleOf(t *testing.T, path string) time.Duration {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := stampOf(fi, Meta{})
	return settle(s.ctime)
}

// The writer's close stamps its file once the change time has settled
// (waiting for it with the injected sleep); a file written while it waits
// is not stamped.
func TestStampWritten(t *testing.T) {
	path := testDB(t)
	if settleOf(t, path) != fineSettle {
		t.Skip("this file system keeps whole-second change times: the writer leaves the stamp to the next reader")
	}
	clock := later(t, path, 10*time.Millisecond)
	now := func() time.Time { return clock }
	var slept time.Duration
	StampWritten(path, now, func(d time.Duration) { slept += d; clock = clock.Add(d) })
	if slept != fineSettle-10*time.Millisecond {
		t.Errorf("slept %v, want %v", slept, fineSettle-10*time.Millisecond)
	}
	fi, _ := os.Stat(path)
	m, _ := Check(path)
	if !stamped(path, fi, m) {
		t.Fatal("not stamped after a clean close")
	}

	path = testDB(t)
	clock = later(t, path, 0)
	StampWritten(path, now, func(d time.Duration) {
		clock = clock.Add(d)
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0) // another process writes the file meanwhile
		if err != nil {
			t.Fatal(err)
		}
		f.Write(make([]byte, 4096))
		f.Close()
	})
	if _, err := os.Stat(path + stampSuffix); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("stamped a file written while the writer waited: %v", err)
	}
}
