package archive

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/parc-archiver/parc/record"
)

// storedCapture is what a capture reads back as.
type storedCapture struct {
	url, digest string
	fetched     time.Time
	body        []byte
}

func readCaptures(t *testing.T, a *Archive) map[string]storedCapture {
	t.Helper()
	out := map[string]storedCapture{}
	if err := a.Captures(context.Background(), Filter{}, func(c *record.Capture, id, digest string) error {
		out[id] = storedCapture{c.URL, digest, c.FetchedAt, bytes.Clone(c.Received())}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// parc compact stores the captures an older parc wrote (0.2.0: gzip
// bodies, 0.4.0: S2 blocks) as their WARC records: each reads back with
// the same id, URL, fetch time, body and digest, a WARC export gets them
// as records to copy, and Verify is clean.
func TestCompactRecodesOlderCaptures(t *testing.T) {
	ctx := context.Background()
	for _, name := range []string{"v0.2.0", "v0.4.0"} {
		t.Run(name, func(t *testing.T) {
			path, _ := oldArchive(t, name)
			a := reopen(t, path, Options{KeepRaw: true})
			before := readCaptures(t, a)
			if len(before) == 0 {
				t.Fatal("the old archive holds no captures")
			}
			records := 0
			count := func(c *record.Capture, _, _ string) error {
				if c.WARC != nil {
					records++
				}
				return nil
			}
			if err := a.Captures(ctx, Filter{WARCRecords: true}, count); err != nil || records != 0 {
				t.Fatalf("before compact: %d of %d captures stored as records (%v)", records, len(before), err)
			}
			dst := filepath.Join(t.TempDir(), "compacted.db")
			if err := a.Compact(ctx, dst); err != nil {
				t.Fatal(err)
			}
			a.Close()
			b := reopen(t, dst, Options{ReadOnly: true})
			after := readCaptures(t, b)
			if len(after) != len(before) {
				t.Fatalf("%d captures after compact, %d before", len(after), len(before))
			}
			for id, want := range before {
				got := after[id]
				if got.url != want.url || got.digest != want.digest || !got.fetched.Equal(want.fetched) || !bytes.Equal(got.body, want.body) {
					t.Errorf("capture %s: %s %s %v (%d bytes) after, %s %s %v (%d bytes) before",
						id, got.url, got.digest, got.fetched, len(got.body), want.url, want.digest, want.fetched, len(want.body))
				}
			}
			if err := b.Captures(ctx, Filter{WARCRecords: true}, count); err != nil || records != len(after) {
				t.Errorf("after compact: %d of %d captures stored as records (%v)", records, len(after), err)
			}
			if probs, err := b.Verify(ctx); err != nil || len(probs) != 0 {
				t.Errorf("verify after compact: %v %v", probs, err)
			}
		})
	}
}
