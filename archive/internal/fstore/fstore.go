// Package fstore is the frontier's stored form: opening a crawl run over
// its queue, seen-set and failed set (OpenRun), and the seen-set: canon key ->
// crawl run (8 bytes, big-endian) + status (1 byte: 0 queued or done,
// frontier.StatusFailed failed). Done is not written (a write to a random
// leaf of a large bucket per page): an entry of status 0 whose key is
// neither queued nor archived nor failed is a page some run handled
// without storing anything, which for an article means its store failed
// under parc before 0.5 (Unrecorded).
package fstore

import (
	"encoding/binary"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/parc-archiver/parc/archive/internal/boltcopy"
	"github.com/parc-archiver/parc/frontier"
	"github.com/parc-archiver/parc/internal/canon"
)

// State is the frontier's run state, kept as JSON in the archive's meta.
type State struct {
	Run      uint64 `json:"run"`
	Finished bool   `json:"finished"`
	// Refreshing: this run revisits the archive (--refresh); the archived
	// records are queued in chunks, in id order, after RefreshAfter.
	Refreshing   bool   `json:"refreshing,omitempty"`
	RefreshAfter string `json:"refresh_after,omitempty"`
}

// Layout names the buckets of the frontier's stored form: the queue
// (sequence, 8 bytes -> frontier.Item JSON), the seen-set, the failed set
// (key -> frontier.Item JSON) and the archive's URL index (key -> id).
type Layout struct {
	Queue, Seen, Failed, GaveUp, URLs []byte
}

// Book records the final state, in run, of the item it (key) handed out:
// a failure goes to the failed set (queued again by the next run), an item
// done although it failed (a 4xx answer: not worth asking again) to the
// gave-up set, with how it failed; anything else leaves both. The
// seen-set says this run queued the key already (Add wrote it): only a
// failure is worth a write to a random leaf of that large bucket.
func (l Layout) Book(tx *bolt.Tx, key string, run uint64, it frontier.Item, status frontier.Status) error {
	fb, gb := tx.Bucket(l.Failed), tx.Bucket(l.GaveUp)
	if status == frontier.StatusSkip {
		// Marked so, a skipped page (robots.txt, a redirect to another
		// site) is no page a crawl lost without a record (unrecorded).
		if err := tx.Bucket(l.Seen).Put([]byte(key), Value(run, status)); err != nil {
			return err
		}
	}
	if status != frontier.StatusFailed && it.Failed == nil { // the common case: done
		if err := fb.Delete([]byte(key)); err != nil {
			return err
		}
		return gb.Delete([]byte(key))
	}
	v, err := json.Marshal(frontier.Item{URL: it.URL, Kind: it.Kind, Depth: it.Depth, Failed: it.Failed})
	if err != nil {
		return err
	}
	if status == frontier.StatusFailed {
		if err := tx.Bucket(l.Seen).Put([]byte(key), Value(run, status)); err != nil {
			return err
		}
		return fb.Put([]byte(key), v)
	}
	if err := fb.Delete([]byte(key)); err != nil {
		return err
	}
	return gb.Put([]byte(key), v)
}

// Run is what OpenRun found: the queue's last sequence number and how many
// items are queued.
type Run struct {
	NextSeq uint64
	Pending int
}

// OpenRun opens the crawl run after st in tx: when st finished (or there
// is none) a new run starts (st is updated), carrying over what the last
// one left queued; either way what failed, in the last run or in this one
// (a resumed run gives its failures, pages not stored included, another
// try), is queued again. seq is the queue's last sequence number.
func (l Layout) OpenRun(tx *bolt.Tx, st *State, refresh bool, seq uint64) (Run, error) {
	q, seen := tx.Bucket(l.Queue), tx.Bucket(l.Seen)
	if st.Run == 0 || st.Finished {
		*st = State{Run: st.Run + 1, Refreshing: refresh}
		c := q.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			var it frontier.Item
			if err := json.Unmarshal(v, &it); err != nil {
				return Run{}, fmt.Errorf("frontier item: %w", err)
			}
			if key, err := canon.Key(it.URL); err == nil {
				if err := seen.Put([]byte(key), Value(st.Run, 0)); err != nil {
					return Run{}, err
				}
			}
		}
	}
	r := Run{NextSeq: seq}
	if err := l.requeueFailed(tx, st.Run, &r); err != nil {
		return Run{}, err
	}
	// Counted by a cursor: Bucket.Stats reads only committed pages, not
	// what this transaction queued.
	qc := q.Cursor()
	for k, _ := qc.First(); k != nil; k, _ = qc.Next() {
		r.Pending++
	}
	return r, nil
}

// requeueFailed moves the failed items to the queue of run, except those
// the run queued already, and empties the failed set.
func (l Layout) requeueFailed(tx *bolt.Tx, run uint64, r *Run) error {
	q, seen := tx.Bucket(l.Queue), tx.Bucket(l.Seen)
	fc := tx.Bucket(l.Failed).Cursor()
	for k, v := fc.First(); k != nil; k, v = fc.Next() {
		if sr, status := Decode(seen.Get(k)); sr != run || status == frontier.StatusFailed {
			r.NextSeq++
			if err := q.Put(binary.BigEndian.AppendUint64(nil, r.NextSeq), v); err != nil {
				return err
			}
			if err := seen.Put(k, Value(run, 0)); err != nil {
				return err
			}
		}
	}
	// Emptied as a whole: Cursor.Delete followed by Next can skip a key
	// (etcd-io/bbolt#146).
	if err := tx.DeleteBucket(l.Failed); err != nil {
		return err
	}
	_, err := tx.CreateBucket(l.Failed)
	return err
}

// QueuedKeys are the keys of the items in the queue (the seen-set does
// not tell queued from done).
func (l Layout) QueuedKeys(tx *bolt.Tx) (map[string]bool, error) {
	keys := map[string]bool{}
	err := tx.Bucket(l.Queue).ForEach(func(_, v []byte) error {
		var it frontier.Item
		if err := json.Unmarshal(v, &it); err != nil {
			return fmt.Errorf("frontier item: %w", err)
		}
		if key, err := canon.Key(it.URL); err == nil {
			keys[key] = true
		}
		return nil
	})
	return keys, err
}

// Value is the seen-set value of a key queued (status 0) or failed in run.
func Value(run uint64, status frontier.Status) []byte {
	v := make([]byte, 9)
	binary.BigEndian.PutUint64(v, run)
	v[8] = byte(status)
	return v
}

// Decode reads a Value; a malformed one reads as run 0.
func Decode(v []byte) (run uint64, status frontier.Status) {
	if len(v) != 9 {
		return 0, 0
	}
	return binary.BigEndian.Uint64(v), frontier.Status(v[8])
}

// Buckets are what tells a handled page without a record: the seen-set,
// the archive's URL index and the frontier's failed set.
type Buckets struct {
	Seen, URLs, Failed *bolt.Bucket
}

// Buckets returns l's buckets in tx.
func (l Layout) Buckets(tx *bolt.Tx) Buckets {
	return Buckets{Seen: tx.Bucket(l.Seen), URLs: tx.Bucket(l.URLs), Failed: tx.Bucket(l.Failed)}
}

// unrecorded reports whether the entry k, v is a page handled (not
// failed, not queued: queued holds the keys in the frontier's queue)
// that left no record.
func (b Buckets) unrecorded(k, v []byte, queued map[string]bool) bool {
	if _, st := Decode(v); st != 0 && st != frontier.StatusDone {
		return false
	}
	return b.URLs.Get(k) == nil && b.Failed.Get(k) == nil && !queued[string(k)]
}

// Unrecorded counts the handled pages without a record whose key match
// accepts, and returns up to max of their keys.
func (b Buckets) Unrecorded(queued map[string]bool, match func(key string) bool, max int) (n int, keys []string, err error) {
	err = b.Seen.ForEach(func(k, v []byte) error {
		if !b.unrecorded(k, v, queued) || !match(string(k)) {
			return nil
		}
		n++
		if len(keys) < max {
			keys = append(keys, string(k))
		}
		return nil
	})
	return n, keys, err
}

// Forget deletes the entries of runs before run that unrecorded reports
// (done, with no record nor failure), and returns how many.
func (b Buckets) Forget(run uint64) (int, error) {
	n := 0
	c := b.Seen.Cursor()
	for k, v := c.First(); k != nil; {
		if r, st := Decode(v); r >= run || st != 0 && st != frontier.StatusDone || b.URLs.Get(k) != nil || b.Failed.Get(k) != nil {
			k, v = c.Next()
			continue
		}
		var err error
		if k, v, err = boltcopy.DeleteAt(c, k); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// EachFailed calls fn with each item of the failed set, then of the
// gave-up set (gaveUp true), each in key order.
func (l Layout) EachFailed(tx *bolt.Tx, fn func(it frontier.Item, gaveUp bool) error) error {
	if err := l.each(tx.Bucket(l.Failed), func(it frontier.Item) error { return fn(it, false) }); err != nil {
		return err
	}
	return l.each(tx.Bucket(l.GaveUp), func(it frontier.Item) error { return fn(it, true) })
}

func (l Layout) each(b *bolt.Bucket, fn func(frontier.Item) error) error {
	if b == nil {
		return nil // an archive opened read-only before the set existed
	}
	return b.ForEach(func(k, v []byte) error {
		var it frontier.Item
		if err := json.Unmarshal(v, &it); err != nil {
			return fmt.Errorf("failed item %s: %w", k, err)
		}
		return fn(it)
	})
}
