package portals

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"

	"github.com/parc-archiver/parc/archive/internal/checksum"
	"github.com/parc-archiver/parc/archive/internal/orderhead"
)

// tally is what Migrate counts of one portal name.
type tally struct {
	records int
	newest  string
}

// Migrate registers the portal names an archive's records carry (schema
// 5 to 6). The newest record's name (by first_seen) gets number 1 and so
// owns the frontier, run log and content hashes stored before portals
// existed; any other name gets the next numbers, in name order, and move
// is called with the id of each of its records (which the caller moves
// into that portal's scope). An archive without records registers
// nothing: its first writer's portal gets number 1.
func Migrate(tx *bolt.Tx, s Stores) error {
	if _, err := tx.CreateBucketIfNotExists(Bucket); err != nil {
		return err
	}
	counts := map[string]*tally{}
	var owner, newest string
	first := true
	err := eachRecord(tx.Bucket(s.Records), func(_ []byte, portal, firstSeen string) {
		t := counts[portal]
		if t == nil {
			t = &tally{}
			counts[portal] = t
		}
		t.records++
		t.newest = max(t.newest, firstSeen)
		if first || firstSeen > newest {
			owner, newest, first = portal, firstSeen, false
		}
	})
	if err != nil || len(counts) == 0 {
		return err
	}
	names := []string{owner}
	for name := range counts {
		if name != owner {
			names = append(names, name)
		}
	}
	slices.Sort(names[1:])
	nums := map[string]uint32{}
	for _, name := range names {
		num, err := Register(tx, name, s.Meta, s.URLs)
		if err != nil {
			return fmt.Errorf("register portal %q: %w", name, err)
		}
		nums[name] = num
		if err := Put(tx, name, Entry{Num: num, Records: counts[name].records, Newest: counts[name].newest}); err != nil {
			return err
		}
	}
	if len(names) == 1 {
		return nil
	}
	var moved [][]byte
	var movedTo []uint32
	if err := eachRecord(tx.Bucket(s.Records), func(id []byte, portal, _ string) {
		if portal != owner {
			moved, movedTo = append(moved, bytes.Clone(id)), append(movedTo, nums[portal])
		}
	}); err != nil {
		return err
	}
	for i, id := range moved {
		if err := move(tx, s, id, movedTo[i]); err != nil {
			return fmt.Errorf("record %s: %w", id, err)
		}
	}
	return nil
}

// move puts record id into portal num's scope: its state names the
// portal, its order head carries the number and its content hashes are
// keyed within the portal.
func move(tx *bolt.Tx, s Stores, id []byte, num uint32) error {
	docs := tx.Bucket(s.Docs)
	var fields map[string]json.RawMessage
	var d struct {
		Order uint64 `json:"order"`
		Revs  []struct {
			ContentHash string `json:"content_hash"`
		} `json:"revs"`
	}
	raw := docs.Get(id)
	if err := json.Unmarshal(raw, &fields); err != nil {
		return fmt.Errorf("state: %w", err)
	}
	if err := json.Unmarshal(raw, &d); err != nil {
		return fmt.Errorf("state: %w", err)
	}
	hashes := tx.Bucket(s.Hashes)
	for _, rv := range d.Revs {
		if rv.ContentHash == "" || !bytes.Equal(hashes.Get([]byte(rv.ContentHash)), id) {
			continue
		}
		if err := hashes.Delete([]byte(rv.ContentHash)); err != nil {
			return err
		}
		if err := hashes.Put([]byte(HashKey(rv.ContentHash, num)), id); err != nil {
			return err
		}
	}
	fields["portal"], _ = json.Marshal(num)
	b, err := json.Marshal(fields)
	if err != nil {
		return err
	}
	if err := docs.Put(id, b); err != nil {
		return err
	}
	order := tx.Bucket(s.Order)
	key := binary.BigEndian.AppendUint64(nil, d.Order)
	hv := order.Get(key)
	if hv == nil {
		return nil // redacted
	}
	h, err := orderhead.Decode(hv)
	if err != nil {
		return err
	}
	h.Portal = num
	return order.Put(key, h.Bytes())
}

// eachRecord calls fn with each record's id, portal and first_seen.
func eachRecord(b *bolt.Bucket, fn func(id []byte, portal, firstSeen string)) error {
	return b.ForEach(func(k, v []byte) error {
		js, err := checksum.Open(v)
		if err != nil {
			return fmt.Errorf("record %s: %w", k, err)
		}
		var r struct {
			Portal    string `json:"portal"`
			FirstSeen string `json:"first_seen"`
		}
		if err := json.Unmarshal(js, &r); err != nil {
			return fmt.Errorf("record %s: %w", k, err)
		}
		fn(k, r.Portal, r.FirstSeen)
		return nil
	})
}
