package archive

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/parc-archiver/parc/archive/internal/boltcopy"
	"github.com/parc-archiver/parc/record"
)

// filledArchive stores n articles with raw captures.
func filledArchive(t *testing.T, n int) *Archive {
	t.Helper()
	at := time.Date(2021, 1, 27, 6, 39, 0, 0, time.UTC)
	a, _ := openTest(t, Options{KeepRaw: true, NoSync: true})
	for i := range n {
		c := benchCapture(fmt.Sprintf("https://vinachem.com.vn/nd/tin/%08d.html", i), benchBody(i, 2), at)
		p := page(c.URL, article(fmt.Sprintf("Bài %d", i), benchBody(i, 2)), at)
		p.Capture = c
		mustPut(t, a, p)
	}
	return a
}

// dump lists every bucket's sequence and key/value pairs of db.
func dump(t *testing.T, db *bolt.DB) string {
	t.Helper()
	var b bytes.Buffer
	if err := db.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, bk *bolt.Bucket) error {
			fmt.Fprintf(&b, "bucket %s seq %d\n", name, bk.Sequence())
			return bk.ForEach(func(k, v []byte) error {
				fmt.Fprintf(&b, "%x=%x\n", k, v)
				return nil
			})
		})
	}); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// The compacted copy holds exactly what the archive holds, also when it
// is written in many small transactions.
func TestCompactCopiesEverything(t *testing.T) {
	a := filledArchive(t, 40)
	want := dump(t, a.db.DB)
	for _, maxTx := range []int64{boltcopy.TxBytes, 4096} {
		path := filepath.Join(t.TempDir(), "copy.db")
		dst, err := bolt.Open(path, 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := a.db.View(func(src *bolt.Tx) error { return boltcopy.Buckets(context.Background(), dst, src, maxTx, nil) }); err != nil {
			t.Fatal(err)
		}
		if got := dump(t, dst); got != want {
			t.Errorf("maxTx %d: the copy differs from the archive", maxTx)
		}
		dst.Close()
	}
}

// Every long operation stops with the context's error once it has ended,
// and Compact leaves no partial copy behind.
func TestLongOperationsStopWithContext(t *testing.T) {
	a := filledArchive(t, 20)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	dst := filepath.Join(t.TempDir(), "copy.db")
	ops := map[string]func() error{
		"backup":  func() error { return a.Backup(ctx, io.Discard) },
		"compact": func() error { return a.Compact(ctx, dst) },
		"verify":  func() error { _, err := a.Verify(ctx); return err },
		"stats":   func() error { _, err := a.Stats(ctx); return err },
		"get":     func() error { _, err := a.Get(ctx, "https://vinachem.com.vn/nd/tin/00000001.html"); return err },
		"records": func() error { return a.Records(ctx, Filter{}, func([]byte) error { return nil }) },
		"captures": func() error {
			return a.Captures(ctx, Filter{}, func(*record.Capture, string, string) error { return nil })
		},
		"current captures": func() error { _, _, err := a.CurrentCaptures(ctx, "", 10); return err },
		"outbox":           func() error { return a.OutboxAfter(ctx, 0, 0, func(uint64, []byte) error { return nil }) },
		"outbox len":       func() error { _, err := a.OutboxLen(ctx); return err },
		"current seq":      func() error { _, err := a.CurrentSeq(ctx); return err },
		"cursor":           func() error { _, err := a.Cursor(ctx, "x"); return err },
	}
	for name, op := range ops {
		if err := op(); !errors.Is(err, context.Canceled) {
			t.Errorf("%s: %v, want context.Canceled", name, err)
		}
	}
	if _, err := os.Stat(dst); !os.IsNotExist(err) {
		t.Errorf("a cancelled compact left %s: %v", dst, err)
	}
}

// A backup stopped part way fails; one that runs to the end opens as an
// archive with every record.
func TestBackupStopsMidway(t *testing.T) {
	a := filledArchive(t, 20)
	ctx, cancel := context.WithCancel(context.Background())
	w := &cancelAfter{n: 2, cancel: cancel}
	if err := a.Backup(ctx, w); !errors.Is(err, context.Canceled) {
		t.Fatalf("backup cancelled after 2 writes: %v", err)
	}
	var full bytes.Buffer
	if err := a.Backup(context.Background(), &full); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "backup.db")
	if err := os.WriteFile(path, full.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	b := reopen(t, path, Options{ReadOnly: true})
	if st, err := b.Stats(context.Background()); err != nil || st.Records != 20 {
		t.Errorf("backup: %+v, %v", st, err)
	}
}

// cancelAfter cancels its context after n writes.
type cancelAfter struct {
	n      int
	cancel func()
}

func (c *cancelAfter) Write(p []byte) (int, error) {
	if c.n--; c.n == 0 {
		c.cancel()
	}
	return len(p), nil
}
