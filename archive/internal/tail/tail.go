package tail

import (
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
)

// Entry is one record's simhash.
type Entry struct {
	ID  string
	Sim uint64
}

// A content hash as the archive writes it: "sha256:" and 64 lower-case
// hex digits, kept as its 32 bytes.
const hashPrefix = "sha256:"

// hashKey is a content hash and, for a hash scoped to a portal
// ("sha256:…@N", package portals), its portal number N (0 for none).
type hashKey struct {
	sum    [32]byte
	portal uint32
}

// Tail is the index entries of the records above a mark (see the package
// doc). The zero value is not usable: call New.
type Tail struct {
	mark uint64           // records with Order <= mark are in the trees
	recs []Entry          // append-only until the merge; removed ones have ID ""
	byID map[string]int32 // record id -> its entry in recs
	// slots holds, per band slot, its records (their entries in recs)
	// sorted by id: a band shared by thousands of near-identical records
	// is read in order, never sorted per lookup.
	slots map[uint32][]int32
	// content hash -> record id; hashes not in the archive's form (none
	// are expected) go to oddHashes.
	hashes    map[hashKey]string
	oddHashes map[string]string
	undo      []func() // reverts the open transaction's changes
	rolling   bool     // Rollback is running the undo functions
}

// New returns an empty tail for the records whose Order is above mark.
func New(mark uint64) *Tail {
	return &Tail{
		mark:      mark,
		byID:      make(map[string]int32),
		slots:     make(map[uint32][]int32),
		hashes:    make(map[hashKey]string),
		oddHashes: make(map[string]string),
	}
}

// Holds reports whether the entries of a record with this Order belong in
// the tail.
func (t *Tail) Holds(order uint64) bool { return order > t.mark }

// Len is the number of records in the tail.
func (t *Tail) Len() int { return len(t.byID) }

// Due reports whether the tail should be merged: it holds max records, or
// its append-only record slice has grown to twice that (revisions of the
// same records re-add them) and would otherwise keep growing.
func (t *Tail) Due(max int) bool {
	return len(t.recs) > 0 && (t.Len() >= max || len(t.recs) >= 2*max)
}

// Sim returns the simhash the tail holds for record id.
func (t *Tail) Sim(id string) (uint64, bool) {
	i, ok := t.byID[id]
	if !ok {
		return 0, false
	}
	return t.recs[i].Sim, true
}

// ForEachSim calls fn for each record in the tail and its simhash, in no
// particular order.
func (t *Tail) ForEachSim(fn func(id string, sim uint64)) {
	for _, r := range t.recs {
		if r.ID != "" { // not removed
			fn(r.ID, r.Sim)
		}
	}
}

// bandSlot is the chain of sim's 16-bit band number band (0-3).
func bandSlot(band int, sim uint64) uint32 {
	return uint32(band)<<16 | uint32(uint16(sim>>(16*band)))
}

// Band appends to buf the first max records (by id) whose band number
// band (0-3) equals sim's, sorted by id.
func (t *Tail) Band(band int, sim uint64, max int, buf []Entry) []Entry {
	return t.slot(bandSlot(band, sim), max, buf)
}

// slot appends to buf the first max records filed under slot, sorted by
// id.
func (t *Tail) slot(slot uint32, max int, buf []Entry) []Entry {
	for _, i := range t.slots[slot][:min(max, len(t.slots[slot]))] {
		buf = append(buf, t.recs[i])
	}
	return buf
}

// find returns where record id is, or would go, in slot's list.
func (t *Tail) find(list []int32, id string) (int, bool) {
	return slices.BinarySearchFunc(list, id, func(i int32, id string) int { return strings.Compare(t.recs[i].ID, id) })
}

// AddSim files record id under sim's bands, replacing the simhash it had.
func (t *Tail) AddSim(id string, sim uint64) {
	if old, ok := t.Sim(id); ok {
		if old == sim {
			return
		}
		t.RemoveSim(id)
	}
	i := int32(len(t.recs))
	t.recs = append(t.recs, Entry{id, sim})
	t.byID[id] = i
	for band := range 4 {
		slot := bandSlot(band, sim)
		list := t.slots[slot]
		at, _ := t.find(list, id)
		t.slots[slot] = slices.Insert(list, at, i)
	}
	t.record(func() { t.dropSim(id) })
}

// RemoveSim removes record id's simhash, if the tail holds one.
func (t *Tail) RemoveSim(id string) {
	sim, ok := t.Sim(id)
	if !ok {
		return
	}
	t.dropSim(id)
	t.record(func() { t.AddSim(id, sim) })
}

// dropSim removes id's entries without recording an undo.
func (t *Tail) dropSim(id string) {
	i, ok := t.byID[id]
	if !ok {
		return
	}
	sim := t.recs[i].Sim
	for band := range 4 {
		slot := bandSlot(band, sim)
		list := t.slots[slot]
		if at, found := t.find(list, id); found {
			list = slices.Delete(list, at, at+1)
		}
		if len(list) == 0 {
			delete(t.slots, slot)
		} else {
			t.slots[slot] = list
		}
	}
	delete(t.byID, id)
	t.recs[i] = Entry{}
}

// parseHash returns the key of a content hash in the archive's form.
func parseHash(h string) (k hashKey, ok bool) {
	x, found := strings.CutPrefix(h, hashPrefix)
	if !found || len(x) < 2*len(k.sum) {
		return k, false
	}
	if scope := x[2*len(k.sum):]; scope != "" {
		n, err := strconv.ParseUint(strings.TrimPrefix(scope, "@"), 10, 32)
		if err != nil || scope[0] != '@' || n < 2 || strconv.FormatUint(n, 10) != scope[1:] {
			return k, false
		}
		k.portal = uint32(n)
	}
	for i := range k.sum {
		hi, ok1 := hexDigit(x[2*i])
		lo, ok2 := hexDigit(x[2*i+1])
		if !ok1 || !ok2 {
			return k, false
		}
		k.sum[i] = hi<<4 | lo
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

func (k hashKey) String() string {
	s := hashPrefix + hex.EncodeToString(k.sum[:])
	if k.portal != 0 {
		s += "@" + strconv.FormatUint(uint64(k.portal), 10)
	}
	return s
}

// HashOwner returns the record the tail indexes hash to.
func (t *Tail) HashOwner(hash string) (string, bool) {
	if k, ok := parseHash(hash); ok {
		id, ok := t.hashes[k]
		return id, ok
	}
	id, ok := t.oddHashes[hash]
	return id, ok
}

// ForEachHash calls fn for each content hash in the tail, in no
// particular order.
func (t *Tail) ForEachHash(fn func(hash, id string)) {
	for k, id := range t.hashes {
		fn(k.String(), id)
	}
	for h, id := range t.oddHashes {
		fn(h, id)
	}
}

// PutHash indexes hash to record id without recording an undo: for
// rebuilding a tail, before its first Commit.
func (t *Tail) PutHash(hash, id string) {
	if k, ok := parseHash(hash); ok {
		t.hashes[k] = id
	} else {
		t.oddHashes[hash] = id
	}
}

// dropHash removes hash without recording an undo.
func (t *Tail) dropHash(hash string) {
	if k, ok := parseHash(hash); ok {
		delete(t.hashes, k)
	} else {
		delete(t.oddHashes, hash)
	}
}

// SetHash indexes hash to record id, replacing the record it named.
func (t *Tail) SetHash(hash, id string) {
	old, had := t.HashOwner(hash)
	t.PutHash(hash, id)
	t.record(func() {
		if had {
			t.PutHash(hash, old)
		} else {
			t.dropHash(hash)
		}
	})
}

// DeleteHash removes hash, if the tail indexes it.
func (t *Tail) DeleteHash(hash string) {
	old, had := t.HashOwner(hash)
	if !had {
		return
	}
	t.dropHash(hash)
	t.record(func() { t.PutHash(hash, old) })
}

// Commit forgets the undo log of a committed transaction.
func (t *Tail) Commit() {
	clear(t.undo)
	t.undo = t.undo[:0]
}

// Rollback undoes the changes of a transaction that did not commit.
func (t *Tail) Rollback() {
	t.rolling = true
	for i := len(t.undo) - 1; i >= 0; i-- {
		t.undo[i]()
	}
	t.rolling = false
	t.Commit()
}

// record notes how to revert a change, unless a rollback is running.
func (t *Tail) record(fn func()) {
	if !t.rolling {
		t.undo = append(t.undo, fn)
	}
}
