// Package keyscan lists the keys of a bbolt bucket that start with a
// prefix, in key order.
package keyscan

import (
	"bytes"

	bolt "go.etcd.io/bbolt"
)

// Prefixed returns up to max keys of b that start with prefix, in key
// order; more is set when b holds further ones.
func Prefixed(b *bolt.Bucket, prefix []byte, max int) (keys []string, more bool) {
	c := b.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		if len(keys) == max {
			return keys, true
		}
		keys = append(keys, string(k))
	}
	return keys, false
}
