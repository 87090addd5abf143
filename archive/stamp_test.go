package archive

import (
	"context"
	"os"
	"testing"
	"time"
)

// A writer that closes its archive cleanly stamps it as sound (beside it,
// PATH.checked), so a reader right after skips the walk of its pages; on
// a file system with whole-second change times it leaves that to the
// reader.
func TestWriterCloseStampsTheFile(t *testing.T) {
	a, path := openTest(t, Options{})
	if _, err := a.Put(context.Background(), page("https://vinachem.com.vn/a.html", article("T", "B"), time.Time{})); err != nil {
		t.Fatal(err)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.ModTime().Nanosecond() == 0 {
		t.Skip("whole-second file times here")
	}
	if _, err := os.Stat(path + ".checked"); err != nil {
		t.Errorf("no stamp after the writer closed: %v", err)
	}
}
