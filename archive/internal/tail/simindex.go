package tail

import (
	"bytes"
	"encoding/binary"
	"math/bits"

	bolt "go.etcd.io/bbolt"
)

// SimKey is the simhash index key of record id under one of sim's four
// 16-bit bands: the band, the band's value (2 bytes), the id.
func SimKey(band int, sim uint64, id string) []byte {
	k := make([]byte, 3, 3+len(id))
	k[0] = byte(band)
	binary.BigEndian.PutUint16(k[1:], uint16(sim>>(16*band)))
	return append(k, id...)
}

// NearDuplicate finds a record other than self whose simhash is within
// Hamming distance 3 of sim (by pigeonhole, it shares one 16-bit band):
// the closest, then the smallest id, among the first maxPerBand records
// (by id) filed under each of sim's bands, in index (the archive's simhash
// bucket: SimKey -> simhash) and in t.
func (t *Tail) NearDuplicate(index *bolt.Bucket, sim uint64, self string) string {
	const maxPerBand = 1000
	best, bestDist := "", 4
	consider := func(id string, s uint64) {
		if id == self {
			return
		}
		d := bits.OnesCount64(sim ^ s)
		if d < bestDist || d == bestDist && id < best {
			best, bestDist = id, d
		}
	}
	c := index.Cursor()
	var buf [8]Entry
	for band := range 4 {
		prefix := SimKey(band, sim, "")
		mem := t.Band(band, sim, maxPerBand, buf[:0])
		n := 0
		k, v := c.Seek(prefix)
		for n < maxPerBand {
			inTree := k != nil && bytes.HasPrefix(k, prefix)
			if !inTree && len(mem) == 0 {
				break
			}
			n++
			if inTree && (len(mem) == 0 || string(k[3:]) <= mem[0].ID) {
				if len(v) == 8 {
					consider(string(k[3:]), binary.BigEndian.Uint64(v))
				}
				k, v = c.Next()
				continue
			}
			consider(mem[0].ID, mem[0].Sim)
			mem = mem[1:]
		}
	}
	return best
}
