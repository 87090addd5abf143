package capture

import (
	"bytes"
	"time"
)

// RecodeIn returns the transform with which parc compact stores the
// captures of the buckets named (top-level buckets, keyed by capture id)
// that an older parc stored as S2 blocks or gzip as their WARC records
// (Recode); values of other buckets are copied as they are.
func (cc *Codec) RecodeIn(buckets ...[]byte) func(path [][]byte, k, v []byte) ([]byte, error) {
	return func(path [][]byte, k, v []byte) ([]byte, error) {
		if len(path) != 1 {
			return v, nil
		}
		for _, b := range buckets {
			if bytes.Equal(path[0], b) {
				return cc.Recode(string(k), v), nil
			}
		}
		return v, nil
	}
}

// Recode returns capture value v, stored under id, as its WARC records:
// v itself when it is stored so already, when it stays an S2 block (a 304
// with a body), or when it does not decode (damage stays for parc verify
// to report, never replaced by something else). The new value is decoded
// and checked to give the same body and digest before it is returned;
// else v is.
func (cc *Codec) Recode(id string, v []byte) []byte {
	if isRecords(v) {
		return v
	}
	c, digest, err := cc.Decode(v)
	if err != nil {
		return v
	}
	e, err := cc.encode(c, time.Time{}, id)
	if err != nil || !isRecords(e.Value) || e.Digest != digest {
		return v
	}
	back, backDigest, err := cc.Decode(e.Value)
	if err != nil || backDigest != digest || !bytes.Equal(back.Received(), c.Received()) || !back.FetchedAt.Equal(c.FetchedAt) {
		return v
	}
	return e.Value
}
