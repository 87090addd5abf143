// Package orderhead is the value of the archive's order index (order
// sequence -> head): what an export filters on without decoding the
// record: its id, change sequence, published time and category.
package orderhead

import (
	"encoding/binary"
	"fmt"
	"time"
)

// Head is one order entry.
type Head struct {
	ID       string
	Seq      uint64 // change sequence of the current revision
	Pub      int64  // published, unix seconds, when HasPub
	HasPub   bool
	Category string
}

// Encode returns the stored form: seq (8 bytes), published (8), a flag
// (1: published is set), the id's length (1), the id and the category.
// published is RFC 3339 or empty.
func Encode(id string, seq uint64, published, category string) []byte {
	b := make([]byte, 0, 18+len(id)+len(category))
	b = binary.BigEndian.AppendUint64(b, seq)
	var pub int64
	flag := byte(0)
	if t, err := time.Parse(time.RFC3339, published); err == nil {
		pub, flag = t.Unix(), 1
	}
	b = binary.BigEndian.AppendUint64(b, uint64(pub))
	b = append(b, flag, byte(len(id)))
	b = append(b, id...)
	return append(b, category...)
}

// Decode reads what Encode wrote.
func Decode(v []byte) (Head, error) {
	if len(v) < 18 || len(v) < 18+int(v[17]) {
		return Head{}, fmt.Errorf("order entry: truncated")
	}
	h := Head{Seq: binary.BigEndian.Uint64(v), Pub: int64(binary.BigEndian.Uint64(v[8:])), HasPub: v[16] == 1}
	n := int(v[17])
	h.ID = string(v[18 : 18+n])
	h.Category = string(v[18+n:])
	return h, nil
}
