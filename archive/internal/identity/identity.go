// Package identity keeps an archive's identity: a random id in its meta
// bucket, given once and never changed, so that a copy of the file
// (backup, compact) has it too and another archive has another.
package identity

import (
	"fmt"

	"github.com/google/uuid"
	bolt "go.etcd.io/bbolt"
)

// key is the identity's key in the meta bucket.
const key = "id"

// Ensure gives the archive whose meta bucket is meta an identity unless
// it has one. It is no schema step: an older parc ignores the key.
func Ensure(meta *bolt.Bucket) error {
	if meta.Get([]byte(key)) != nil {
		return nil
	}
	if err := meta.Put([]byte(key), []byte(uuid.NewString())); err != nil {
		return fmt.Errorf("archive identity: %w", err)
	}
	return nil
}

// Of is the identity in meta; "" for an archive made before identities
// and not opened writable since.
func Of(meta *bolt.Bucket) string { return string(meta.Get([]byte(key))) }
