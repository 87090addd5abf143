//go:build unix

package atomicfile

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"golang.org/x/sys/unix"
)

// A killed writer's temporary file (no one holds its lock) is removed by
// the next Write of the same target; one a running writer holds (a flock
// through another open file description, as a second process would
// have) stays, and so does every file not of the target's exact naming.
func TestWriteRemovesOnlyGoneWritersTemporaryFiles(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	touch := func(name string) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("partial"), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	gone := touch(".out.csv.tmp-1234567")
	held := touch(".out.csv.tmp-7654321")
	others := []string{
		".out.csv.tmp-", ".out.csv.tmp-12x", ".out.csv.tmp-12.bak", "out.csv.tmp-99",
		".other.csv.tmp-42", ".out.csv.tmp-1.tmp-2", ".out.tmp-5", "notes.txt",
	}
	for _, o := range others {
		touch(o)
	}
	if err := os.Symlink(filepath.Join(dir, "notes.txt"), filepath.Join(dir, ".out.csv.tmp-555")); err != nil {
		t.Fatal(err)
	}
	others = append(others, ".out.csv.tmp-555")

	h, err := os.Open(held)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	if err := unix.Flock(int(h.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		t.Fatal(err)
	}

	if _, err := Write(path, 0o644, func(f *os.File) error {
		// The running writer holds its own temporary file.
		g, err := os.Open(f.Name())
		if err != nil {
			return err
		}
		defer g.Close()
		if ok, err := tryLock(g); ok || err != nil {
			t.Errorf("the writer's own temporary file is not locked (%v)", err)
		}
		_, err = f.WriteString("whole")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(gone); !os.IsNotExist(err) {
		t.Errorf("a gone writer's temporary file is left: %v", err)
	}
	if _, err := os.Lstat(held); err != nil {
		t.Errorf("a held temporary file was removed: %v", err)
	}
	for _, o := range others {
		if _, err := os.Lstat(filepath.Join(dir, o)); err != nil {
			t.Errorf("%s, not of the target's naming, was removed: %v", o, err)
		}
	}
	ents, _ := os.ReadDir(dir)
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	want := append([]string{"out.csv", filepath.Base(held)}, others...)
	slices.Sort(want)
	if !slices.Equal(names, want) {
		t.Errorf("directory holds %v, want %v", names, want)
	}

	// Once its writer lets go, the next write removes it.
	h.Close()
	if _, err := Write(path, 0o644, func(f *os.File) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(held); !os.IsNotExist(err) {
		t.Errorf("a temporary file released by its writer is left: %v", err)
	}
}
