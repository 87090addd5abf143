// Package seenset reads and writes the frontier's seen-set: canon key ->
// crawl run (8 bytes, big-endian) + status (1 byte: 0 queued or done,
// frontier.StatusFailed failed). Done is not written (a write to a random
// leaf of a large bucket per page): an entry of status 0 whose key is
// neither queued nor archived nor failed is a page some run handled
// without storing anything, which for an article means its store failed
// under parc before 0.5 (Unrecorded).
package seenset

import (
	"encoding/binary"

	bolt "go.etcd.io/bbolt"

	"github.com/parc-archiver/parc/archive/internal/boltcopy"
	"github.com/parc-archiver/parc/frontier"
)

// Value is the seen-set value of a key queued (status 0) or failed in run.
func Value(run uint64, status frontier.Status) []byte {
	v := make([]byte, 9)
	binary.BigEndian.PutUint64(v, run)
	v[8] = byte(status)
	return v
}

// Decode reads a Value; a malformed one reads as run 0.
func Decode(v []byte) (run uint64, status frontier.Status) {
	if len(v) != 9 {
		return 0, 0
	}
	return binary.BigEndian.Uint64(v), frontier.Status(v[8])
}

// Buckets are what tells a handled page without a record: the seen-set,
// the archive's URL index and the frontier's failed set.
type Buckets struct {
	Seen, URLs, Failed *bolt.Bucket
}

// unrecorded reports whether the entry k, v is a page handled (not
// failed, not queued: queued holds the keys in the frontier's queue)
// that left no record.
func (b Buckets) unrecorded(k, v []byte, queued map[string]bool) bool {
	if _, st := Decode(v); st != 0 && st != frontier.StatusDone {
		return false
	}
	return b.URLs.Get(k) == nil && b.Failed.Get(k) == nil && !queued[string(k)]
}

// Unrecorded counts the handled pages without a record whose key match
// accepts, and returns up to max of their keys.
func (b Buckets) Unrecorded(queued map[string]bool, match func(key string) bool, max int) (n int, keys []string, err error) {
	err = b.Seen.ForEach(func(k, v []byte) error {
		if !b.unrecorded(k, v, queued) || !match(string(k)) {
			return nil
		}
		n++
		if len(keys) < max {
			keys = append(keys, string(k))
		}
		return nil
	})
	return n, keys, err
}

// Forget deletes the entries of runs before run that have no record nor
// failure, and returns how many.
func (b Buckets) Forget(run uint64) (int, error) {
	n := 0
	c := b.Seen.Cursor()
	for k, v := c.First(); k != nil; {
		if r, _ := Decode(v); r >= run || b.URLs.Get(k) != nil || b.Failed.Get(k) != nil {
			k, v = c.Next()
			continue
		}
		var err error
		if k, v, err = boltcopy.DeleteAt(c, k); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
