package responses

import (
	"bytes"
	"context"
	"strconv"

	bolt "go.etcd.io/bbolt"
)

var (
	bCaptures = []byte("wire")     // capture id -> encoded capture (time-ordered ids)
	bLast     = []byte("wirelast") // URL -> status + " " + payload digest of its last kept capture
)

// Put stores the encoded capture value under id, unless the last capture
// kept for url had the same status and digest; it reports whether it
// stored it.
func Put(tx *bolt.Tx, id, url string, status int, digest string, value []byte) (bool, error) {
	lb, err := tx.CreateBucketIfNotExists(bLast)
	if err != nil {
		return false, err
	}
	last := []byte(strconv.Itoa(status) + " " + digest)
	if bytes.Equal(lb.Get([]byte(url)), last) {
		return false, nil
	}
	b, err := tx.CreateBucketIfNotExists(bCaptures)
	if err != nil {
		return false, err
	}
	b.FillPercent = 0.9 // ids are time-ordered: appended at the end
	if err := b.Put([]byte(id), value); err != nil {
		return false, err
	}
	return true, lb.Put([]byte(url), last)
}

// Count is how many captures are stored.
func Count(tx *bolt.Tx) int {
	if b := tx.Bucket(bCaptures); b != nil {
		return b.Stats().KeyN
	}
	return 0
}

// Bucket is the name of the captures' bucket (for prefetching).
func Bucket() []byte { return bCaptures }

// Each calls fn for each stored capture, oldest first, until ctx is done
// or fn returns an error, which it returns.
func Each(ctx context.Context, tx *bolt.Tx, fn func(id string, value []byte) error) error {
	b := tx.Bucket(bCaptures)
	if b == nil {
		return nil
	}
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := fn(string(k), v); err != nil {
			return err
		}
	}
	return nil
}
