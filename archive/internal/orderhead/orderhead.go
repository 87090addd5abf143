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
	// Portal is the record's portal number (package portals); 1, the
	// archive's first portal, is not stored, so that the heads written
	// before portals existed read as its.
	Portal uint32
}

const (
	flagPub    = 1 // published is set
	flagPortal = 2 // a portal number (4 bytes) follows the id
)

// Encode returns the stored form: seq (8 bytes), published (8), flags
// (1: published is set, 2: a portal number follows the id), the id's
// length (1), the id, the portal number (4 bytes, when not 1) and the
// category. published is RFC 3339 or empty.
func Encode(id string, seq uint64, published, category string, portal uint32) []byte {
	h := Head{ID: id, Seq: seq, Category: category, Portal: portal}
	if t, err := time.Parse(time.RFC3339, published); err == nil {
		h.Pub, h.HasPub = t.Unix(), true
	}
	return h.Bytes()
}

// Bytes returns h's stored form (Encode's).
func (h Head) Bytes() []byte {
	b := make([]byte, 0, 22+len(h.ID)+len(h.Category))
	b = binary.BigEndian.AppendUint64(b, h.Seq)
	flag := byte(0)
	if h.HasPub {
		flag = flagPub
	}
	if h.Portal > 1 {
		flag |= flagPortal
	}
	b = binary.BigEndian.AppendUint64(b, uint64(h.Pub))
	b = append(b, flag, byte(len(h.ID)))
	b = append(b, h.ID...)
	if h.Portal > 1 {
		b = binary.BigEndian.AppendUint32(b, h.Portal)
	}
	return append(b, h.Category...)
}

// Decode reads what Encode wrote.
func Decode(v []byte) (Head, error) {
	if len(v) < 18 || len(v) < 18+int(v[17]) {
		return Head{}, fmt.Errorf("order entry: truncated")
	}
	h := Head{Seq: binary.BigEndian.Uint64(v), Pub: int64(binary.BigEndian.Uint64(v[8:])), HasPub: v[16]&flagPub != 0, Portal: 1}
	n := 18 + int(v[17])
	h.ID = string(v[18:n])
	if v[16]&flagPortal != 0 {
		if len(v) < n+4 {
			return Head{}, fmt.Errorf("order entry %s: truncated", h.ID)
		}
		h.Portal = binary.BigEndian.Uint32(v[n:])
		n += 4
	}
	h.Category = string(v[n:])
	return h, nil
}
