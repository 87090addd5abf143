// Package checksum frames each stored record and revision with a CRC-32C
// (Castagnoli) of its JSON, computed when it is written and checked on the
// copy path of every read, so that a record damaged on disk fails the
// export that would hand it to an analyst instead of reaching them as
// invalid JSON or UTF-8. A framed value is the byte 0x01, the checksum (4
// bytes, big-endian) and the JSON; a value of an archive written before
// (schema 4 and older) is the bare JSON, which starts with '{'. Checking
// costs one pass over bytes already in memory (the CPU's CRC-32C
// instruction) and no lookup.
package checksum

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"

	bolt "go.etcd.io/bbolt"

	"github.com/parc-archiver/parc/archive/internal/pagefile"
)

// ErrDamaged reports a stored value that does not match its checksum.
var ErrDamaged = fmt.Errorf("%w on disk (checksum mismatch)", pagefile.ErrDamaged)

const (
	framed = 0x01
	header = 5
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Frame returns the stored form of the JSON value js.
func Frame(js []byte) []byte {
	out := make([]byte, header, header+len(js))
	out[0] = framed
	binary.BigEndian.PutUint32(out[1:], crc32.Checksum(js, castagnoli))
	return append(out, js...)
}

// Open checks a stored value and returns its JSON, a sub-slice of stored.
// A bare JSON value (an older archive) is returned as it is.
func Open(stored []byte) ([]byte, error) {
	if len(stored) > 0 && stored[0] == '{' {
		return stored, nil
	}
	if len(stored) < header || stored[0] != framed {
		return nil, ErrDamaged
	}
	js := stored[header:]
	if binary.BigEndian.Uint32(stored[1:]) != crc32.Checksum(js, castagnoli) {
		return nil, ErrDamaged
	}
	return js, nil
}

// Framed reports whether stored carries a checksum.
func Framed(stored []byte) bool { return len(stored) > 0 && stored[0] == framed }

// FrameAll frames the values of b not framed yet, reading a chunk, then
// writing it: a bucket is not written while a cursor walks it.
func FrameAll(b *bolt.Bucket) error {
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
			if !Framed(v) {
				chunk = append(chunk, kv{bytes.Clone(k), Frame(v)})
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
