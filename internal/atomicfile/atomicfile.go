// Package atomicfile writes files that are either whole or absent: exports,
// backups and metrics files that other programs read while parc writes
// them.
package atomicfile

import (
	"fmt"
	"os"
	"path/filepath"
)

// TempPattern is the name pattern of the temporary file Write creates in
// the target's directory (for path "x.csv": ".x.csv.tmp-*").
func TempPattern(path string) string { return "." + filepath.Base(path) + ".tmp-*" }

// Write creates path with what fill writes: into a temporary file beside
// it, with mode perm, synced, then renamed over path, and the directory
// synced so the rename survives a crash. On any failure path is untouched
// and the temporary file removed. It returns the size written.
func Write(path string, perm os.FileMode, fill func(f *os.File) error) (int64, error) {
	f, err := os.CreateTemp(filepath.Dir(path), TempPattern(path))
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
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return 0, fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return 0, fmt.Errorf("write %s: %w", path, err)
	}
	return fi.Size(), SyncDir(filepath.Dir(path))
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
