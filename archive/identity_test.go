package archive

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

func identityOf(t *testing.T, a *Archive) string {
	t.Helper()
	id, err := a.Identity(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// Every archive has its own identity, kept by reopening, Backup and
// Compact: a copy is the same archive at some point of its history.
func TestIdentity(t *testing.T) {
	ctx := context.Background()
	a, _ := filled(t)
	path := a.Path()
	other, _ := openTest(t, Options{NoSync: true})
	id := identityOf(t, a)
	if id == "" || id == identityOf(t, other) {
		t.Fatalf("identities %q and %q: want two, distinct", id, identityOf(t, other))
	}
	dir := t.TempDir()
	backup := filepath.Join(dir, "backup.db")
	f, err := os.Create(backup)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Backup(ctx, f); err != nil {
		t.Fatal(err)
	}
	f.Close()
	compacted := filepath.Join(dir, "compact.db")
	if err := a.Compact(ctx, compacted); err != nil {
		t.Fatal(err)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, backup, compacted} {
		if got := identityOf(t, reopen(t, p, Options{ReadOnly: true})); got != id {
			t.Errorf("%s: identity %q, want %q", filepath.Base(p), got, id)
		}
	}
}

// An archive made before identities has none while only read, and gets
// one, for good, at its first writable open.
func TestIdentityOfAnOlderArchive(t *testing.T) {
	path, _ := oldArchive(t, "v0.4.0")
	ro := reopen(t, path, Options{ReadOnly: true})
	if got := identityOf(t, ro); got != "" {
		t.Errorf("read-only open of an older archive: identity %q, want none", got)
	}
	ro.Close()
	a := reopen(t, path, Options{})
	id := identityOf(t, a)
	if id == "" {
		t.Fatal("no identity after a writable open")
	}
	a.Close()
	if got := identityOf(t, reopen(t, path, Options{})); got != id {
		t.Errorf("identity %q after another open, want %q", got, id)
	}
}
