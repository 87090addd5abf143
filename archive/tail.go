package archive

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/parc-archiver/parc/archive/internal/fingerprint"
	bolt "go.etcd.io/bbolt"
)

// The near-duplicate and content-hash indexes of the newest records live
// in memory, in an indexTail, instead of in their B+trees (bSim, bHashes).
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
// undone (rollback).

// metaIndexMark is the meta key of the mark (8 bytes, big-endian). An
// archive written before schema 3 has none: all its entries are in the
// trees.
const metaIndexMark = "index.mark"

// tailMax is how many records the tail holds before it is merged: about
// 250 bytes of heap each, and rebuilding it decodes that many docs.
const tailMax = 8192

// tailSim is one record's simhash.
type tailSim struct {
	id  string
	sim uint64
}

// tailLink files one of recs under one of its bands, in a chain per band
// value.
type tailLink struct {
	rec  int32 // index in recs
	next int32 // next link + 1; 0 ends the chain
}

// A content hash as contentHashNorm writes it: "sha256:" and 64 lower-case
// hex digits, kept as its 32 bytes.
const hashPrefix = "sha256:"

type hashKey [32]byte

type indexTail struct {
	mark  uint64           // records with Order <= mark are in the trees
	recs  []tailSim        // append-only until the merge; removed ones have id ""
	byID  map[string]int32 // record id -> its entry in recs
	heads map[uint32]int32 // band slot -> first link + 1
	links []tailLink
	// content hash -> record id; hashes not in contentHashNorm's form
	// (none are expected) go to oddHashes.
	hashes    map[hashKey]string
	oddHashes map[string]string
	undo      []func() // reverts the open transaction's changes
	rolling   bool     // rollback is running the undo functions
}

func newIndexTail(mark uint64) *indexTail {
	return &indexTail{
		mark:      mark,
		byID:      make(map[string]int32),
		heads:     make(map[uint32]int32),
		hashes:    make(map[hashKey]string),
		oddHashes: make(map[string]string),
	}
}

// holds reports whether the entries of a record with this Order belong in
// the tail.
func (t *indexTail) holds(order uint64) bool { return order > t.mark }

// len is the number of records in the tail.
func (t *indexTail) len() int { return len(t.byID) }

// sim returns the simhash the tail holds for record id.
func (t *indexTail) sim(id string) (uint64, bool) {
	i, ok := t.byID[id]
	if !ok {
		return 0, false
	}
	return t.recs[i].sim, true
}

func bandSlot(band int, sim uint64) uint32 {
	return uint32(band)<<16 | uint32(uint16(sim>>(16*band)))
}

// band appends to buf the records filed under slot, sorted by id.
func (t *indexTail) band(slot uint32, buf []tailSim) []tailSim {
	for l := t.heads[slot]; l != 0; l = t.links[l-1].next {
		buf = append(buf, t.recs[t.links[l-1].rec])
	}
	slices.SortFunc(buf, func(x, y tailSim) int { return strings.Compare(x.id, y.id) })
	return buf
}

func (t *indexTail) addSim(id string, sim uint64) {
	if old, ok := t.sim(id); ok {
		if old == sim {
			return
		}
		t.removeSim(id)
	}
	i := int32(len(t.recs))
	t.recs = append(t.recs, tailSim{id, sim})
	t.byID[id] = i
	for band := range 4 {
		slot := bandSlot(band, sim)
		t.links = append(t.links, tailLink{rec: i, next: t.heads[slot]})
		t.heads[slot] = int32(len(t.links))
	}
	t.record(func() { t.dropSim(id) })
}

func (t *indexTail) removeSim(id string) {
	sim, ok := t.sim(id)
	if !ok {
		return
	}
	t.dropSim(id)
	t.record(func() { t.addSim(id, sim) })
}

// dropSim removes id's entries without recording an undo.
func (t *indexTail) dropSim(id string) {
	i, ok := t.byID[id]
	if !ok {
		return
	}
	delete(t.byID, id)
	sim := t.recs[i].sim
	t.recs[i] = tailSim{}
	for band := range 4 {
		slot := bandSlot(band, sim)
		head := t.heads[slot]
		if head != 0 && t.links[head-1].rec == i {
			if next := t.links[head-1].next; next != 0 {
				t.heads[slot] = next
			} else {
				delete(t.heads, slot)
			}
			continue
		}
		for l := head; l != 0; l = t.links[l-1].next {
			if next := t.links[l-1].next; next != 0 && t.links[next-1].rec == i {
				t.links[l-1].next = t.links[next-1].next
				break
			}
		}
	}
}

// parseHash returns the key of a content hash in contentHashNorm's form.
func parseHash(h string) (k hashKey, ok bool) {
	x, found := strings.CutPrefix(h, hashPrefix)
	if !found || len(x) != 2*len(k) {
		return k, false
	}
	for i := range k {
		hi, ok1 := hexDigit(x[2*i])
		lo, ok2 := hexDigit(x[2*i+1])
		if !ok1 || !ok2 {
			return k, false
		}
		k[i] = hi<<4 | lo
	}
	return k, true
}

func hexDigit(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	}
	return 0, false
}

func (k hashKey) String() string { return hashPrefix + hex.EncodeToString(k[:]) }

// hashOwner returns the record the tail indexes hash to.
func (t *indexTail) hashOwner(hash string) (string, bool) {
	if k, ok := parseHash(hash); ok {
		id, ok := t.hashes[k]
		return id, ok
	}
	id, ok := t.oddHashes[hash]
	return id, ok
}

// forEachHash calls fn for each content hash in the tail.
func (t *indexTail) forEachHash(fn func(hash, id string)) {
	for k, id := range t.hashes {
		fn(k.String(), id)
	}
	for h, id := range t.oddHashes {
		fn(h, id)
	}
}

func (t *indexTail) putHash(hash, id string) {
	if k, ok := parseHash(hash); ok {
		t.hashes[k] = id
	} else {
		t.oddHashes[hash] = id
	}
}

func (t *indexTail) dropHash(hash string) {
	if k, ok := parseHash(hash); ok {
		delete(t.hashes, k)
	} else {
		delete(t.oddHashes, hash)
	}
}

func (t *indexTail) setHash(hash, id string) {
	old, had := t.hashOwner(hash)
	t.putHash(hash, id)
	t.record(func() {
		if had {
			t.putHash(hash, old)
		} else {
			t.dropHash(hash)
		}
	})
}

func (t *indexTail) deleteHash(hash string) {
	old, had := t.hashOwner(hash)
	if !had {
		return
	}
	t.dropHash(hash)
	t.record(func() { t.putHash(hash, old) })
}

// commit forgets the undo log of a committed transaction.
func (t *indexTail) commit() {
	clear(t.undo)
	t.undo = t.undo[:0]
}

// rollback undoes the changes of a transaction that did not commit.
func (t *indexTail) rollback() {
	t.rolling = true
	for i := len(t.undo) - 1; i >= 0; i-- {
		t.undo[i]()
	}
	t.rolling = false
	t.commit()
}

// record notes how to revert a change, unless a rollback is running.
func (t *indexTail) record(fn func()) {
	if !t.rolling {
		t.undo = append(t.undo, fn)
	}
}

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
func loadTail(tx *bolt.Tx, skip func(error)) *indexTail {
	mark, ok := readMark(tx)
	if !ok {
		return newIndexTail(math.MaxUint64)
	}
	t := newIndexTail(mark)
	docs, hashes := tx.Bucket(bDocs), tx.Bucket(bHashes)
	type revHash struct {
		seq      uint64
		hash, id string
	}
	var revs []revHash
	c := tx.Bucket(bOrder).Cursor()
	for k, v := c.Seek(u64(mark + 1)); k != nil; k, v = c.Next() {
		h, err := decodeHead(v)
		if err != nil {
			skip(fmt.Errorf("index tail: order %x: %w", k, err))
			continue
		}
		var d doc
		if err := json.Unmarshal(docs.Get([]byte(h.id)), &d); err != nil {
			skip(fmt.Errorf("index tail: record %s: decode state: %w", h.id, err))
			continue
		}
		if d.Redacted != nil {
			continue
		}
		t.addSim(d.ID, d.SimHash)
		for _, rv := range d.Revs {
			if rv.ContentHash != "" {
				revs = append(revs, revHash{seq: rv.Seq, hash: rv.ContentHash, id: d.ID})
			}
		}
	}
	// A hash names the record that stored it first (see revise): replay
	// them in change order.
	slices.SortFunc(revs, func(x, y revHash) int { return cmp.Compare(x.seq, y.seq) })
	for _, r := range revs {
		if _, ok := t.hashOwner(r.hash); !ok && hashes.Get([]byte(r.hash)) == nil {
			t.putHash(r.hash, r.id)
		}
	}
	t.commit()
	return t
}

// due reports whether the tail should be merged: it holds max records,
// or its append-only record slice has grown to twice that (revisions of
// the same records re-add them) and would otherwise keep growing.
func (t *indexTail) due(max int) bool {
	return len(t.recs) > 0 && (t.len() >= max || len(t.recs) >= 2*max)
}

// putSim files d's simhash in the index.
func (a *Archive) putSim(tx *bolt.Tx, d *doc) error {
	if a.tail.holds(d.Order) {
		a.tail.addSim(d.ID, d.SimHash)
		return nil
	}
	b := tx.Bucket(bSim)
	v := u64(d.SimHash)
	for band := range 4 {
		if err := b.Put(simKey(band, d.SimHash, d.ID), v); err != nil {
			return err
		}
	}
	return nil
}

// deleteSim removes d's current simhash from the index. A tail record's
// entries are also deleted from the tree, where an interrupted merge may
// have left them.
func (a *Archive) deleteSim(tx *bolt.Tx, d *doc) error {
	if a.tail.holds(d.Order) {
		a.tail.removeSim(d.ID)
	}
	b := tx.Bucket(bSim)
	for band := range 4 {
		if err := b.Delete(simKey(band, d.SimHash, d.ID)); err != nil {
			return err
		}
	}
	return nil
}

// nearDuplicate finds a record other than self whose simhash is within
// Hamming distance 3 of sim (by pigeonhole, it shares one 16-bit band):
// the closest, then the smallest id, among the first maxPerBand records
// (by id) filed under each of sim's bands.
func (a *Archive) nearDuplicate(tx *bolt.Tx, sim uint64, self string) string {
	const maxPerBand = 1000
	best, bestDist := "", 4
	consider := func(id string, s uint64) {
		if id == self {
			return
		}
		d := fingerprint.Hamming(sim, s)
		if d < bestDist || d == bestDist && id < best {
			best, bestDist = id, d
		}
	}
	c := tx.Bucket(bSim).Cursor()
	var buf [8]tailSim
	for band := range 4 {
		prefix := simKey(band, sim, "")
		mem := a.tail.band(bandSlot(band, sim), buf[:0])
		n := 0
		k, v := c.Seek(prefix)
		for n < maxPerBand {
			inTree := k != nil && bytes.HasPrefix(k, prefix)
			if !inTree && len(mem) == 0 {
				break
			}
			n++
			if inTree && (len(mem) == 0 || string(k[3:]) <= mem[0].id) {
				if len(v) == 8 {
					consider(string(k[3:]), binary.BigEndian.Uint64(v))
				}
				k, v = c.Next()
				continue
			}
			consider(mem[0].id, mem[0].sim)
			mem = mem[1:]
		}
	}
	return best
}

// hashOwner returns the record the content hash is indexed to, if any.
func (a *Archive) hashOwner(tx *bolt.Tx, hash string) string {
	if id, ok := a.tail.hashOwner(hash); ok {
		return id
	}
	return string(tx.Bucket(bHashes).Get([]byte(hash)))
}

// putHash indexes hash to d.
func (a *Archive) putHash(tx *bolt.Tx, d *doc, hash string) error {
	if a.tail.holds(d.Order) {
		a.tail.setHash(hash, d.ID)
		return nil
	}
	return tx.Bucket(bHashes).Put([]byte(hash), []byte(d.ID))
}

// dropHash removes hash from the index if it names d.
func (a *Archive) dropHash(tx *bolt.Tx, d *doc, hash string) error {
	if id, _ := a.tail.hashOwner(hash); id == d.ID {
		a.tail.deleteHash(hash)
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
			t.forEachHash(func(hash, id string) { part = append(part, kv{[]byte(hash), []byte(id)}) })
		} else {
			bucket = bSim
			for _, r := range t.recs {
				if r.id != "" { // not removed
					part = append(part, kv{simKey(pass-1, r.sim, r.id), u64(r.sim)})
				}
			}
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
	*t = *newIndexTail(mark)
	return nil
}
