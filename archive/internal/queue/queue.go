package queue

import (
	"encoding/binary"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Bucket names one queue's bucket.
type Bucket []byte

// ErrStop, returned by Scan's fn, ends the scan without an error.
var ErrStop = errors.New("stop the scan")

func key(seq uint64) []byte { return binary.BigEndian.AppendUint64(nil, seq) }

// Put stores v as entry seq.
func (q Bucket) Put(tx *bolt.Tx, seq uint64, v []byte) error {
	b, err := tx.CreateBucketIfNotExists(q)
	if err == nil {
		err = b.Put(key(seq), v)
	}
	if err != nil {
		return fmt.Errorf("%s %d: %w", q, seq, err)
	}
	return nil
}

// Append stores v under the bucket's next sequence number.
func (q Bucket) Append(tx *bolt.Tx, v []byte) error {
	b, err := tx.CreateBucketIfNotExists(q)
	if err != nil {
		return fmt.Errorf("%s: %w", q, err)
	}
	seq, err := b.NextSequence()
	if err != nil {
		return fmt.Errorf("%s: %w", q, err)
	}
	return q.Put(tx, seq, v)
}

// Scan calls fn with each entry above after, oldest first; v is valid
// only in tx. An error from fn other than ErrStop ends the scan and is
// returned.
func (q Bucket) Scan(tx *bolt.Tx, after uint64, fn func(seq uint64, v []byte) error) error {
	b := tx.Bucket(q)
	if b == nil {
		return nil
	}
	c := b.Cursor()
	for k, v := c.Seek(key(after + 1)); k != nil; k, v = c.Next() {
		if len(k) != 8 {
			return fmt.Errorf("%s key %x: not a sequence number", q, k)
		}
		if err := fn(binary.BigEndian.Uint64(k), v); err != nil {
			if errors.Is(err, ErrStop) {
				return nil
			}
			return err
		}
	}
	return nil
}

// Replace stores v as entry seq if that entry is still there.
func (q Bucket) Replace(tx *bolt.Tx, seq uint64, v []byte) error {
	if b := tx.Bucket(q); b == nil || b.Get(key(seq)) == nil {
		return nil
	}
	return q.Put(tx, seq, v)
}

// Delete removes the entries seqs; unknown ones are no error.
func (q Bucket) Delete(tx *bolt.Tx, seqs ...uint64) error {
	b := tx.Bucket(q)
	if b == nil {
		return nil
	}
	for _, s := range seqs {
		if err := b.Delete(key(s)); err != nil {
			return fmt.Errorf("%s %d: %w", q, s, err)
		}
	}
	return nil
}

// Len is the number of entries.
func (q Bucket) Len(tx *bolt.Tx) int {
	if b := tx.Bucket(q); b != nil {
		return b.Stats().KeyN
	}
	return 0
}
