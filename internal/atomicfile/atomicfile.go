// Package atomicfile writes files that are either whole or absent: exports,
// backups and metrics files that other programs read while parc writes
// them.
//
// A writer holds an exclusive flock on its temporary file from its
// creation to its rename, so a temporary file no one holds is one whose
// writer is gone (killed): the next Write of the same target removes
// those, and only those, of its own naming (TempPattern, exactly), never
// one a running writer holds, nor any other file. Where flock is missing
// (not unix) nothing is removed.
package atomicfile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// TempPattern is the name pattern of the temporary file Write creates in
// the target's directory (for path "x.csv": ".x.csv.tmp-*").
func TempPattern(path string) string { return "." + filepath.Base(path) + ".tmp-*" }

// Write creates path with what fill writes: into a temporary file beside
// it, with mode perm, synced, then renamed over path, and the directory
// synced so the rename survives a crash. On any failure path is untouched
// and the temporary file removed. It returns the size written.
//
// Before it starts, Write removes the temporary files of path's earlier
// writers that are gone (see the package documentation).
func Write(path string, perm os.FileMode, fill func(f *os.File) error) (int64, error) {
	RemoveStale(path)
	f, err := createLocked(path)
	if err != nil {
		return 0, fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	fail := func(err error) (int64, error) {
		f.Close()
		os.Remove(tmp)
		return 0, fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Chmod(perm); err != nil {
		return fail(err)
	}
	if err := fill(f); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	fi, err := f.Stat()
	if err != nil {
		return fail(err)
	}
	// Renamed while still open and locked: an unlocked temporary file
	// would be a gone writer's to a concurrent Write.
	if err := os.Rename(tmp, path); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		return 0, fmt.Errorf("write %s: %w", path, err)
	}
	return fi.Size(), SyncDir(filepath.Dir(path))
}

// createLocked creates a temporary file for path and takes its lock. A
// concurrent RemoveStale may take the new file for a gone writer's in
// the moment before the lock and remove it: then the file at the name is
// not the one locked, and it tries again with a new one.
func createLocked(path string) (*os.File, error) {
	for range 10 {
		f, err := os.CreateTemp(filepath.Dir(path), TempPattern(path))
		if err != nil {
			return nil, err
		}
		if err := lock(f); err != nil {
			f.Close()
			os.Remove(f.Name())
			return nil, fmt.Errorf("lock %s: %w", f.Name(), err)
		}
		if same(f) {
			return f, nil
		}
		f.Close()
	}
	return nil, errors.New("temporary files removed as soon as created")
}

// same reports whether f's name still names f.
func same(f *os.File) bool {
	a, err := f.Stat()
	b, err2 := os.Lstat(f.Name())
	return err == nil && err2 == nil && os.SameFile(a, b)
}

// isTemp reports whether name is exactly one of TempPattern(path)'s: the
// pattern's prefix followed by the digits os.CreateTemp puts there.
func isTemp(path, name string) bool {
	prefix, _, _ := strings.Cut(TempPattern(path), "*")
	rest, ok := strings.CutPrefix(name, prefix)
	return ok && rest != "" && strings.Trim(rest, "0123456789") == ""
}

// RemoveStale removes the temporary files of path's earlier writers that
// are gone: regular files in path's directory whose name matches
// TempPattern(path) exactly and whose flock it can take. It leaves those a
// running writer holds, and everything else; what it cannot read or
// remove it leaves too (best effort: the write goes on).
func RemoveStale(path string) {
	dir := filepath.Dir(path)
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range ents {
		if e.Type().IsRegular() && isTemp(path, e.Name()) {
			removeIfGone(filepath.Join(dir, e.Name()))
		}
	}
}

// removeIfGone removes tmp if no writer holds its lock.
func removeIfGone(tmp string) {
	f, err := os.OpenFile(tmp, os.O_RDONLY|noFollow, 0)
	if err != nil {
		return
	}
	defer f.Close()
	if ok, err := tryLock(f); ok && err == nil && same(f) {
		os.Remove(tmp)
	}
}

// SyncDir makes a rename or a new file in dir durable.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync directory %s: %w", dir, err)
	}
	return nil
}
