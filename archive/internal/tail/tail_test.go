package tail

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// sims returns the simhash of each record in the tail.
func (t *Tail) sims() map[string]uint64 {
	m := map[string]uint64{}
	for id := range t.byID {
		m[id], _ = t.Sim(id)
	}
	return m
}

// describe lists the tail's records by band and its hashes, in order.
func (t *Tail) describe() string {
	var sb strings.Builder
	for _, slot := range slices.Sorted(maps.Keys(t.slots)) {
		fmt.Fprintf(&sb, "%x:%v ", slot, t.slot(slot, len(t.slots[slot]), nil))
	}
	fmt.Fprint(&sb, t.sims(), " ")
	var hs []string
	t.ForEachHash(func(h, id string) { hs = append(hs, h+"="+id) })
	slices.Sort(hs)
	fmt.Fprint(&sb, hs)
	return sb.String()
}

// TestRollback: changes made in a transaction that does not commit are
// undone; committed ones stay.
func TestRollback(t *testing.T) {
	const (
		simA = 0x1111_2222_3333_4444
		simB = 0x1111_2222_3333_5555
		h1   = "sha256:1111111111111111111111111111111111111111111111111111111111111111"
		h2   = "sha256:2222222222222222222222222222222222222222222222222222222222222222"
		odd  = "md5:abc" // not the archive's form
	)
	tl := New(0)
	tl.AddSim("a", simA)
	tl.AddSim("b", simB)
	tl.SetHash(h1, "a")
	tl.SetHash(odd, "b")
	tl.Commit()
	want := tl.describe()
	tl.AddSim("a", 0x9999_2222_3333_4444) // moves a
	tl.RemoveSim("b")
	tl.AddSim("c", 0x1111_0000_0000_0000)
	tl.SetHash(h1, "c")
	tl.SetHash(h2, "c")
	tl.DeleteHash(odd)
	if tl.describe() == want {
		t.Fatal("the changes changed nothing")
	}
	tl.Rollback()
	if got := tl.describe(); got != want {
		t.Errorf("after rollback:\n%s\nwant\n%s", got, want)
	}
	tl.RemoveSim("a")
	tl.Commit()
	tl.Rollback()
	if _, ok := tl.Sim("a"); ok || len(tl.Band(0, simA, 10, nil)) != 0 {
		t.Errorf("a committed removal was undone: %s", tl.describe())
	}
	// Bands 1-3 of a and b are equal: only b is left under them.
	if got := tl.Band(1, simB, 10, nil); !reflect.DeepEqual(got, []Entry{{"b", simB}}) {
		t.Errorf("band 1 of b: %v", got)
	}
	if id, ok := tl.HashOwner(odd); !ok || id != "b" {
		t.Errorf("odd hash: %q %v", id, ok)
	}
}

// TestBandLists: removing records from the middle, the head and the end
// of a band's list keeps the others.
func TestBandLists(t *testing.T) {
	tl := New(0)
	const sim = 0xabcd_abcd_abcd_abcd
	ids := []string{"e", "b", "d", "a", "c"}
	for _, id := range ids {
		tl.AddSim(id, sim)
	}
	for _, id := range []string{"d", "c", "e"} { // middle, head (added last), end (added first)
		tl.RemoveSim(id)
	}
	for band := range 4 {
		if got := tl.Band(band, sim, 10, nil); !reflect.DeepEqual(got, []Entry{{"a", sim}, {"b", sim}}) {
			t.Errorf("band %d: %v", band, got)
		}
	}
	tl.RemoveSim("a")
	tl.RemoveSim("b")
	if len(tl.slots) != 0 || tl.Len() != 0 {
		t.Errorf("empty tail keeps %d band lists, %d records", len(tl.slots), tl.Len())
	}
}

// TestDueBoundsGrowth: a tail is due once it holds max records, or once
// revisions of the same records (re-added to its append-only slice) have
// appended twice that, however few records it holds.
func TestDueBoundsGrowth(t *testing.T) {
	const max = 3
	tl := New(0)
	if tl.Due(max) {
		t.Error("an empty tail is due")
	}
	for i := range 2*max - 1 {
		tl.AddSim("a", uint64(i+1)) // a revision moves a's simhash
		if tl.Due(max) {
			t.Fatalf("due after %d revisions of one record", i+1)
		}
	}
	tl.AddSim("a", 2*max)
	if !tl.Due(max) || tl.Len() != 1 {
		t.Errorf("after %d revisions of one record: due %v, %d records", 2*max, tl.Due(max), tl.Len())
	}
	tl = New(0)
	for i, id := range []string{"x", "y", "z"} {
		if tl.Due(max) {
			t.Fatalf("due with %d records", i)
		}
		tl.AddSim(id, uint64(i+1))
	}
	if !tl.Due(max) {
		t.Errorf("not due with %d records", tl.Len())
	}
	// Records the archive keeps indexed by their content hash only are
	// not counted.
	tl = New(0)
	tl.SetHash("sha256:x", "a")
	if tl.Due(0) {
		t.Error("a tail without records is due")
	}
}

// TestForEachSim lists each record once, with its current simhash.
func TestForEachSim(t *testing.T) {
	tl := New(0)
	tl.AddSim("a", 1)
	tl.AddSim("b", 2)
	tl.AddSim("a", 3)
	tl.AddSim("c", 4)
	tl.RemoveSim("c")
	got := map[string]uint64{}
	tl.ForEachSim(func(id string, sim uint64) {
		if _, dup := got[id]; dup {
			t.Errorf("%s listed twice", id)
		}
		got[id] = sim
	})
	if want := map[string]uint64{"a": 3, "b": 2}; !maps.Equal(got, want) {
		t.Errorf("ForEachSim: %v, want %v", got, want)
	}
}

// TestHolds: records above the mark belong in the tail.
func TestHolds(t *testing.T) {
	tl := New(4)
	if tl.Holds(4) || !tl.Holds(5) {
		t.Errorf("mark 4: holds(4) %v, holds(5) %v", tl.Holds(4), tl.Holds(5))
	}
}

// A band shared by many records (near-identical pages) yields its first
// records by id, whatever order they came and went in.
func TestSharedBandInIDOrder(t *testing.T) {
	tl := New(0)
	const sim = 0x0101_0202_0303_0404
	var want []Entry
	for i := range 500 {
		id := fmt.Sprintf("r%04d", (i*7919)%500) // every id once, scattered
		tl.AddSim(id, sim)
	}
	for i := range 500 {
		id := fmt.Sprintf("r%04d", i)
		if i%3 == 0 {
			tl.RemoveSim(id)
			continue
		}
		want = append(want, Entry{id, sim})
	}
	for band := range 4 {
		if got := tl.Band(band, sim, 50, nil); !reflect.DeepEqual(got, want[:50]) {
			t.Errorf("band %d: first 50 = %v..., want %v...", band, got[:3], want[:3])
		}
	}
	tl.Rollback() // the removals and additions, in reverse
	if tl.Len() != 0 || len(tl.slots) != 0 {
		t.Errorf("after rollback: %d records, %d band lists", tl.Len(), len(tl.slots))
	}
}

// A content hash scoped to a portal ("@N") is its own key: the same
// hash in another portal names another record, and both read back in
// their stored form.
func TestScopedHashes(t *testing.T) {
	const h = "sha256:3333333333333333333333333333333333333333333333333333333333333333"
	tl := New(0)
	tl.SetHash(h, "a")
	tl.SetHash(h+"@2", "b")
	tl.SetHash(h+"@02", "odd") // not the archive's form: kept as a string
	for key, want := range map[string]string{h: "a", h + "@2": "b", h + "@3": "", h + "@02": "odd"} {
		if id, _ := tl.HashOwner(key); id != want {
			t.Errorf("HashOwner(%s) = %q, want %q", key, id, want)
		}
	}
	got := map[string]string{}
	tl.ForEachHash(func(hash, id string) { got[hash] = id })
	if len(got) != 3 || got[h+"@2"] != "b" || got[h] != "a" {
		t.Errorf("ForEachHash: %v", got)
	}
}
