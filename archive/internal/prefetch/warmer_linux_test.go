package prefetch

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"
)

// Warmer.Pages brings the pages asked for into the page cache of a file
// the cache was made to drop, and leaves far-away pages out.
func TestWarmerReadsThePagesIntoTheCache(t *testing.T) {
	const ps, pages = 4096, 4096
	if os.Getpagesize() != ps {
		t.Skip("the page cache's pages are not 4 KB here")
	}
	path := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(path, make([]byte, ps*pages), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		t.Fatal(err)
	}
	if err := unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_DONTNEED); err != nil {
		t.Fatal(err)
	}
	if residency(f, ps*pages, ps)[3000]&1 != 0 {
		t.Skip("the page cache kept the file (the kernel may ignore DONTNEED)")
	}
	want := []uint64{3000, 10, 11, 2000}
	NewWarmer(f, ps).Pages(context.Background(), want)
	res := residency(f, ps*pages, ps)
	for _, id := range want {
		if res[id]&1 == 0 {
			t.Errorf("page %d not cached after Pages", id)
		}
	}
	if res[1000]&1 != 0 {
		t.Errorf("page 1000, far from every page asked for, was read")
	}
}
