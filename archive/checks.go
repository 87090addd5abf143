package archive

import (
	"bytes"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/parc-archiver/parc/archive/internal/checksum"
)

// putRecord stores a record's JSON framed with its checksum.
func putRecord(tx *bolt.Tx, id string, js []byte) error {
	return tx.Bucket(bRecords).Put([]byte(id), checksum.Frame(js))
}

// openStored checks a stored record or revision against its checksum and
// returns its JSON; a mismatch says what to do.
func openStored(stored []byte) ([]byte, error) {
	js, err := checksum.Open(stored)
	if err != nil {
		return nil, fmt.Errorf("%w: run parc verify; restore from parc backup", err)
	}
	return js, nil
}

// frameChecks frames every record and revision with its checksum (schema
// 4 to 5: archives before had none).
func frameChecks(tx *bolt.Tx) error {
	for _, name := range [][]byte{bRecords, bRevisions} {
		if err := frameAll(tx.Bucket(name)); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return nil
}

// frameAll frames the values of b not framed yet, reading a chunk, then
// writing it: a bucket is not written while a cursor walks it.
func frameAll(b *bolt.Bucket) error {
	var after []byte
	for {
		type kv struct{ k, v []byte }
		var chunk []kv
		c := b.Cursor()
		k, v := c.First()
		if after != nil {
			if k, v = c.Seek(after); k != nil && bytes.Equal(k, after) {
				k, v = c.Next()
			}
		}
		for ; k != nil && len(chunk) < 1024; k, v = c.Next() {
			after = append(after[:0], k...)
			if !checksum.Framed(v) {
				chunk = append(chunk, kv{bytes.Clone(k), checksum.Frame(v)})
			}
		}
		for _, e := range chunk {
			if err := b.Put(e.k, e.v); err != nil {
				return err
			}
		}
		if k == nil {
			return nil
		}
	}
}
