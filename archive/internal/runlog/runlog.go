// Package runlog keeps the records of the last crawl runs in a bucket:
// sequence (8 bytes, big-endian) -> the run record's bytes (package
// runrecord's JSON, opaque here), at most Keep of them.
package runlog

import (
	"encoding/binary"
	"encoding/json"

	bolt "go.etcd.io/bbolt"

	"github.com/parc-archiver/parc/archive/internal/boltcopy"
)

// Keep is how many run records the log holds.
const Keep = 100

// Append stores raw under seq in b and drops the records older than the
// last Keep.
func Append(b *bolt.Bucket, seq uint64, raw []byte) error {
	if err := b.Put(binary.BigEndian.AppendUint64(nil, seq), raw); err != nil {
		return err
	}
	if seq <= Keep {
		return nil
	}
	c := b.Cursor()
	for k, _ := c.First(); k != nil && binary.BigEndian.Uint64(k) <= seq-Keep; {
		var err error
		if k, _, err = boltcopy.DeleteAt(c, k); err != nil {
			return err
		}
	}
	return nil
}

// Last returns the records in b, oldest first, copied out of the
// transaction.
func Last(b *bolt.Bucket) []json.RawMessage {
	var runs []json.RawMessage
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if len(k) == 8 && binary.BigEndian.Uint64(k) > 0 {
			runs = append(runs, append(json.RawMessage{}, v...))
		}
	}
	return runs
}
