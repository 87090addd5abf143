package atomicfile

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("disk full")
	if _, err := Write(path, 0o644, func(f *os.File) error {
		f.WriteString("half")
		return boom
	}); !errors.Is(err, boom) {
		t.Fatalf("failed fill: err = %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Errorf("a failed write changed the file: %q", b)
	}
	n, err := Write(path, 0o644, func(f *os.File) error {
		_, err := f.WriteString("new content")
		return err
	})
	if err != nil || n != int64(len("new content")) {
		t.Fatalf("write: %d, %v", n, err)
	}
	if b, _ := os.ReadFile(path); string(b) != "new content" {
		t.Errorf("content %q", b)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v", fi.Mode())
	}
	if left, _ := filepath.Glob(filepath.Join(dir, TempPattern(path))); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
	if _, err := Write(filepath.Join(dir, "missing", "x"), 0o644, func(*os.File) error { return nil }); err == nil {
		t.Error("no error for a missing directory")
	}
}
