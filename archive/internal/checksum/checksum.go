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
	"encoding/binary"
	"errors"
	"hash/crc32"
)

// ErrDamaged reports a stored value that does not match its checksum.
var ErrDamaged = errors.New("damaged on disk (checksum mismatch)")

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
