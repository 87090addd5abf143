// Package runlog keeps the records of the last crawl runs in a bucket (one
// per portal): sequence (8 bytes, big-endian; one sequence over all the
// buckets) -> the run record's bytes (package runrecord's JSON, opaque
// here), at most Keep of them in each bucket.
package runlog

import (
	"cmp"
	"encoding/binary"
	"encoding/json"
	"slices"

	bolt "go.etcd.io/bbolt"

	"github.com/parc-archiver/parc/archive/internal/boltcopy"
)

// Keep is how many run records the log holds.
const Keep = 100

// Append stores raw under seq in b and drops the records older than the
// last Keep in b.
func Append(b *bolt.Bucket, seq uint64, raw []byte) error {
	if err := b.Put(binary.BigEndian.AppendUint64(nil, seq), raw); err != nil {
		return err
	}
	n := 0
	c := b.Cursor()
	for k, _ := c.Last(); k != nil; k, _ = c.Prev() {
		n++
	}
	for k, _ := c.First(); k != nil && n > Keep; n-- {
		var err error
		if k, _, err = boltcopy.DeleteAt(c, k); err != nil {
			return err
		}
	}
	return nil
}

// Merged returns the records of the buckets, oldest first (by sequence),
// copied out of the transaction; a nil bucket holds none.
func Merged(bs []*bolt.Bucket) []json.RawMessage {
	type run struct {
		seq uint64
		raw json.RawMessage
	}
	var all []run
	for _, b := range bs {
		if b == nil {
			continue
		}
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if len(k) == 8 && binary.BigEndian.Uint64(k) > 0 {
				all = append(all, run{binary.BigEndian.Uint64(k), append(json.RawMessage{}, v...)})
			}
		}
	}
	slices.SortFunc(all, func(x, y run) int { return cmp.Compare(x.seq, y.seq) })
	out := make([]json.RawMessage, 0, len(all))
	for _, r := range all {
		out = append(out, r.raw)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
