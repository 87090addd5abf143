package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unsafe"

	bolt "go.etcd.io/bbolt"

	"github.com/parc-archiver/parc/sim"
)

// A record damaged on disk (one byte of its stored JSON changed, whether
// the result is still valid JSON and UTF-8 or not) fails every export
// format with exit 1 naming the record, instead of reaching an analyst;
// verify reports it. Damage is found by the checksum written with the
// record, not by parsing it.
func TestDamagedRecordFailsEveryExport(t *testing.T) {
	for name, damage := range map[string]func(byte) byte{
		"still valid UTF-8 and JSON": func(b byte) byte { return b ^ 0x01 },
		"invalid UTF-8":              func(byte) byte { return 0xff },
	} {
		t.Run(name, func(t *testing.T) {
			p := newPortal(t, sim.Options{Articles: 12, Seed: 8, PageSize: 6}, nil)
			p.crawl(t)
			rec := p.records(t)[3]
			damageValue(t, p.db, "records", rec.ID, damage)
			out := t.TempDir()
			for _, format := range []string{"json", "jsonl", "csv", "atom", "parquet"} {
				_, stderr, code := parc(t, "export", "--config", p.config, "--archive", p.db, "--format", format, "--out", filepath.Join(out, "x."+format))
				if code != 1 || !strings.Contains(stderr, rec.ID) || !strings.Contains(stderr, "checksum") {
					t.Errorf("export --format %s of a damaged record: exit %d, want 1 naming record %s:\n%s", format, code, rec.ID, stderr)
				}
			}
			if out, stderr, code := parc(t, "verify", "--config", p.config, "--archive", p.db); code != 1 || !strings.Contains(out, rec.ID) {
				t.Errorf("verify: exit %d, want 1 naming %s:\n%s%s", code, rec.ID, out, stderr)
			}
		})
	}
}

// damageValue changes, in the archive at path, one ASCII letter of the
// value stored under key in bucket, where bbolt's live pages hold it
// (freed pages keep stale copies of it).
func damageValue(t *testing.T, path, bucket, key string, damage func(byte) byte) {
	t.Helper()
	var off int
	func() {
		db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		err = db.View(func(tx *bolt.Tx) error {
			v := tx.Bucket([]byte(bucket)).Get([]byte(key))
			if v == nil {
				t.Fatalf("%s/%s: no value", bucket, key)
			}
			i := len(v) / 2
			for v[i] >= 0x80 || v[i] < 'A' { // an ASCII letter: the JSON stays whole
				i++
			}
			off = int(uintptr(unsafe.Pointer(&v[i])) - db.Info().Data)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b[off] = damage(b[off])
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}
