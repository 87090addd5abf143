package archive

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"slices"

	"github.com/parc-archiver/parc/archive/internal/orderhead"
	"github.com/parc-archiver/parc/archive/internal/portals"
	"github.com/parc-archiver/parc/archive/internal/tail"
	bolt "go.etcd.io/bbolt"
)

// The near-duplicate and content-hash indexes of the newest records live
// in memory, in a tail.Tail, instead of in their B+trees (bSim, bHashes).
//
// Their keys are hashes: every new record would insert five keys at random
// places in two growing trees, and bbolt rewrites a whole 4 KB leaf for
// each, at every commit: in a 20 000-article crawl those inserts cost ~7 %
// of the CPU and a quarter of the system time. The tail instead gathers
// the entries of up to tailMax records and then merges them in key order,
// where one rewritten leaf takes many entries.
//
// Nothing is lost in a crash: the entries are derived from the records.
// The meta key metaIndexMark holds the mark: the entries of every record
// whose Order is at most the mark are in the trees, those of later
// records in the tail only. A writable Open rebuilds the tail from the
// docs above the mark (at most tailMax of them). Merging puts the
// entries in the trees over several transactions and raises the mark in
// the last one: a crash in between leaves entries in both places, which
// lookups tolerate (they are the same entries) and the next merge rewrites.
//
// Only the committer goroutine touches the tail, inside its write
// transactions; changes made in a transaction that does not commit are
// undone (Commit and Rollback, called by commitPrefix).

// metaIndexMark is the meta key of the mark (8 bytes, big-endian). An
// archive written before schema 3 has none: all its entries are in the
// trees.
const metaIndexMark = "index.mark"

// tailMax is how many records the tail holds before it is merged: about
// 250 bytes of heap each, and rebuilding it decodes that many docs.
const tailMax = 8192

// readMark returns the mark stored in tx, or ok=false when the archive
// predates it (all entries are then in the trees).
func readMark(tx *bolt.Tx) (mark uint64, ok bool) {
	v := tx.Bucket(bMeta).Get([]byte(metaIndexMark))
	if len(v) != 8 {
		return 0, false
	}
	return binary.BigEndian.Uint64(v), true
}

// loadTail rebuilds the tail from the docs above the mark (an empty tail
// for an archive without one: all its entries are in the trees). An
// order entry or doc that does not decode is passed to skip and left out:
// it cannot be matched against anyway, and verify reports it.
func loadTail(tx *bolt.Tx, skip func(error)) *tail.Tail {
	mark, ok := readMark(tx)
	if !ok {
		return tail.New(math.MaxUint64)
	}
	t := tail.New(mark)
	docs, hashes := tx.Bucket(bDocs), tx.Bucket(bHashes)
	type revHash struct {
		seq      uint64
		hash, id string
	}
	var revs []revHash
	c := tx.Bucket(bOrder).Cursor()
	for k, v := c.Seek(u64(mark + 1)); k != nil; k, v = c.Next() {
		h, err := orderhead.Decode(v)
		if err != nil {
			skip(fmt.Errorf("index tail: order %x: %w", k, err))
			continue
		}
		var d doc
		if err := json.Unmarshal(docs.Get([]byte(h.ID)), &d); err != nil {
			skip(fmt.Errorf("index tail: record %s: decode state: %w", h.ID, err))
			continue
		}
		if d.Redacted != nil {
			continue
		}
		t.AddSim(d.ID, d.SimHash)
		for _, rv := range d.Revs {
			if rv.ContentHash != "" {
				revs = append(revs, revHash{seq: rv.Seq, hash: portals.HashKey(rv.ContentHash, d.portal()), id: d.ID})
			}
		}
	}
	// A hash names the record that stored it first (see revise): replay
	// them in change order.
	slices.SortFunc(revs, func(x, y revHash) int { return cmp.Compare(x.seq, y.seq) })
	for _, r := range revs {
		if _, ok := t.HashOwner(r.hash); !ok && hashes.Get([]byte(r.hash)) == nil {
			t.PutHash(r.hash, r.id)
		}
	}
	t.Commit()
	return t
}

// putSim files d's simhash in the index.
func (a *Archive) putSim(tx *bolt.Tx, d *doc) error {
	if a.tail.Holds(d.Order) {
		a.tail.AddSim(d.ID, d.SimHash)
		return nil
	}
	b := tx.Bucket(bSim)
	v := u64(d.SimHash)
	for band := range 4 {
		if err := b.Put(tail.SimKey(band, d.SimHash, d.ID), v); err != nil {
			return err
		}
	}
	return nil
}

// deleteSim removes d's current simhash from the index. A tail record's
// entries are also deleted from the tree, where an interrupted merge may
// have left them.
func (a *Archive) deleteSim(tx *bolt.Tx, d *doc) error {
	if a.tail.Holds(d.Order) {
		a.tail.RemoveSim(d.ID)
	}
	b := tx.Bucket(bSim)
	for band := range 4 {
		if err := b.Delete(tail.SimKey(band, d.SimHash, d.ID)); err != nil {
			return err
		}
	}
	return nil
}

// nearDuplicate finds a record other than self whose simhash is within
// Hamming distance 3 of sim, in the tree and the tail (Tail.NearDuplicate).
func (a *Archive) nearDuplicate(tx *bolt.Tx, sim uint64, self string) string {
	return a.tail.NearDuplicate(tx.Bucket(bSim), sim, self)
}

// hashOwner returns the record of portal num the content hash is indexed
// to, if any.
func (a *Archive) hashOwner(tx *bolt.Tx, hash string, num uint32) string {
	hash = portals.HashKey(hash, num)
	if id, ok := a.tail.HashOwner(hash); ok {
		return id
	}
	return string(tx.Bucket(bHashes).Get([]byte(hash)))
}

// putHash indexes hash to d, within d's portal.
func (a *Archive) putHash(tx *bolt.Tx, d *doc, hash string) error {
	hash = portals.HashKey(hash, d.portal())
	if a.tail.Holds(d.Order) {
		a.tail.SetHash(hash, d.ID)
		return nil
	}
	return tx.Bucket(bHashes).Put([]byte(hash), []byte(d.ID))
}

// dropHash removes hash from the index (within d's portal) if it names d.
func (a *Archive) dropHash(tx *bolt.Tx, d *doc, hash string) error {
	hash = portals.HashKey(hash, d.portal())
	if id, _ := a.tail.HashOwner(hash); id == d.ID {
		a.tail.DeleteHash(hash)
	}
	b := tx.Bucket(bHashes)
	if string(b.Get([]byte(hash))) == d.ID {
		return b.Delete([]byte(hash))
	}
	return nil
}

// mergeTail moves the tail's entries into the trees in key order, in
// transactions of at most txNodes nodes, and raises the mark in the last.
// On failure the tail stays as it was (entries already merged are
// harmless duplicates) and the merge is tried again after a later commit.
func (a *Archive) mergeTail() error {
	t := a.tail
	// One pass per tree part, each sorted on its own so that at most one
	// part's entries are materialised at a time: the content hashes, then
	// the four simhash bands (a band is its keys' first byte, so band by
	// band is key order).
	type kv struct{ key, value []byte }
	var (
		part   []kv
		bucket []byte
	)
	load := func(pass int) {
		part = part[:0]
		if pass == 0 {
			bucket = bHashes
			t.ForEachHash(func(hash, id string) { part = append(part, kv{[]byte(hash), []byte(id)}) })
		} else {
			bucket = bSim
			t.ForEachSim(func(id string, sim uint64) { part = append(part, kv{tail.SimKey(pass-1, sim, id), u64(sim)}) })
		}
		slices.SortFunc(part, func(x, y kv) int { return bytes.Compare(x.key, y.key) })
	}
	const passes = 5
	var mark uint64
	pass, i := 0, 0
	load(pass)
	for done := false; !done; {
		a.txns.Add(1)
		err := a.db.Update(func(tx *bolt.Tx) error {
			for n := 0; ; n++ {
				for i == len(part) {
					if pass++; pass == passes {
						// The committer runs nothing else meanwhile: every
						// record so far has its entries in the trees now.
						done = true
						m := tx.Bucket(bMeta)
						mark = getU64(m, metaOrderSeq)
						return m.Put([]byte(metaIndexMark), u64(mark))
					}
					load(pass)
					i = 0
				}
				if st := tx.Stats(); n > 0 && st.GetNodeCount() >= a.txNodes {
					return nil
				}
				if err := tx.Bucket(bucket).Put(part[i].key, part[i].value); err != nil {
					return err
				}
				i++
			}
		})
		if err != nil {
			return fmt.Errorf("merge index tail into %s: %w", a.path, err)
		}
	}
	a.tail = tail.New(mark)
	return nil
}
