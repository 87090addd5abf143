// Package portals is the archive's portal registry: each portal name the
// archive holds records or a frontier of gets a number, stable forever,
// and everything a portal owns besides its records is named by that
// number, never by the name, so that a rename rewrites only the registry
// and the records' own "portal" fields.
//
// # Stored form
//
// The bucket "portals" maps "=" and a name (a record may carry the empty
// name) to its Entry (JSON); the meta key
// seq.portals holds the last number given. Number 1 is the archive's
// first portal (the one a migrated archive's records carry, else the
// first registered): it owns the frontier buckets and meta keys the
// archive had before portals existed (fqueue, fseen, ffailed, fgaveup,
// meta "frontier" and "seq.queue", the run log "runs") and the content
// hashes' plain keys. Portal N > 1 has its own: the same names with ".N"
// appended, and content-hash keys with "@N" appended (HashKey).
//
// A rename in progress is noted in the meta key "portal.rename"
// (Rename): its registry entry has moved already, the records are
// rewritten in chunks after it, and a later open or a rerun finishes it.
package portals

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"

	"github.com/parc-archiver/parc/archive/internal/fstore"
)

// Bucket is the registry's bucket.
var Bucket = []byte("portals")

const (
	metaSeq    = "seq.portals"
	metaRename = "portal.rename"
)

// Legacy is the number of the portal that owns the archive's original
// frontier buckets, meta keys and content-hash keys.
const Legacy = 1

// Entry is one portal's registry value.
type Entry struct {
	Num     uint32 `json:"num"`
	Records int    `json:"records"`
	// Newest is the newest first_seen of its records (RFC 3339, UTC).
	Newest string `json:"newest,omitempty"`
}

// Named is an Entry with its name.
type Named struct {
	Name string
	Entry
}

// Errors of Rename.
var (
	ErrUnknown = errors.New("no such portal")
	ErrExists  = errors.New("portal exists already")
	ErrBadName = errors.New("bad portal name")
	ErrBusy    = errors.New("another portal rename is in progress")
)

// CheckName reports whether name can name a portal: 1 to 100 bytes of
// UTF-8, no control characters, no white space at either end.
func CheckName(name string) error {
	switch {
	case name == "" || len(name) > 100 || !utf8.ValidString(name):
		return fmt.Errorf("%w %q: 1 to 100 bytes of UTF-8", ErrBadName, name)
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		return fmt.Errorf("%w %q: a control character", ErrBadName, name)
	case strings.TrimSpace(name) != name:
		return fmt.Errorf("%w %q: white space at an end", ErrBadName, name)
	}
	return nil
}

// Get returns name's entry in tx; ok is false when it is not registered
// (or the archive predates the registry).
func Get(tx *bolt.Tx, name string) (Entry, bool, error) {
	b := tx.Bucket(Bucket)
	if b == nil {
		return Entry{}, false, nil
	}
	v := b.Get(key(name))
	if v == nil {
		return Entry{}, false, nil
	}
	var e Entry
	if err := json.Unmarshal(v, &e); err != nil {
		return Entry{}, false, fmt.Errorf("portal %q: %w", name, err)
	}
	return e, true, nil
}

// Put stores name's entry.
func Put(tx *bolt.Tx, name string, e Entry) error {
	v, err := json.Marshal(e)
	if err != nil {
		return err
	}
	return tx.Bucket(Bucket).Put(key(name), v)
}

// key is name's key in the registry.
func key(name string) []byte { return append([]byte{'='}, name...) }

// Register returns name's number, giving it the next one (and creating
// its frontier and run-log buckets) when it has none.
func Register(tx *bolt.Tx, name string, meta []byte, urls []byte) (uint32, error) {
	e, ok, err := Get(tx, name)
	if err != nil || ok {
		return e.Num, err
	}
	b, err := tx.CreateBucketIfNotExists(Bucket)
	if err != nil {
		return 0, err
	}
	m := tx.Bucket(meta)
	var n uint64
	if v := m.Get([]byte(metaSeq)); len(v) == 8 {
		n = binary.BigEndian.Uint64(v)
	}
	n++
	if err := m.Put([]byte(metaSeq), binary.BigEndian.AppendUint64(nil, n)); err != nil {
		return 0, err
	}
	e = Entry{Num: uint32(n)}
	if err := Create(tx, e.Num, urls); err != nil {
		return 0, err
	}
	v, _ := json.Marshal(e)
	return e.Num, b.Put(key(name), v)
}

// Create creates portal num's buckets if missing.
func Create(tx *bolt.Tx, num uint32, urls []byte) error {
	l := LayoutOf(num, urls)
	for _, name := range [][]byte{l.Queue, l.Seen, l.Failed, l.GaveUp, RunsBucket(num)} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	return nil
}

// All returns every registered portal, by number.
func All(tx *bolt.Tx) ([]Named, error) {
	b := tx.Bucket(Bucket)
	if b == nil {
		return nil, nil
	}
	var out []Named
	err := b.ForEach(func(k, v []byte) error {
		var e Entry
		if err := json.Unmarshal(v, &e); err != nil {
			return fmt.Errorf("portal %q: %w", k, err)
		}
		out = append(out, Named{Name: string(k[1:]), Entry: e})
		return nil
	})
	sortByNum(out)
	return out, err
}

func sortByNum(ns []Named) {
	for i := 1; i < len(ns); i++ {
		for j := i; j > 0 && ns[j].Num < ns[j-1].Num; j-- {
			ns[j], ns[j-1] = ns[j-1], ns[j]
		}
	}
}

// Counted notes a new record of name, first seen at firstSeen.
func Counted(tx *bolt.Tx, name, firstSeen string) error {
	e, ok, err := Get(tx, name)
	if err != nil || !ok {
		return err
	}
	e.Records++
	if firstSeen > e.Newest {
		e.Newest = firstSeen
	}
	return Put(tx, name, e)
}

func suffix(num uint32) string { return "." + strconv.FormatUint(uint64(num), 10) }

// LayoutOf names portal num's frontier buckets; urls is the archive's
// (global) URL index.
func LayoutOf(num uint32, urls []byte) fstore.Layout {
	l := fstore.Layout{Queue: []byte("fqueue"), Seen: []byte("fseen"), Failed: []byte("ffailed"), GaveUp: []byte("fgaveup"), URLs: urls}
	if num <= Legacy {
		return l
	}
	s := suffix(num)
	l.Queue, l.Seen = append(l.Queue, s...), append(l.Seen, s...)
	l.Failed, l.GaveUp = append(l.Failed, s...), append(l.GaveUp, s...)
	return l
}

// RunsBucket is portal num's run log.
func RunsBucket(num uint32) []byte {
	if num <= Legacy {
		return []byte("runs")
	}
	return []byte("runs" + suffix(num))
}

// MetaKey is portal num's form of a per-portal meta key ("frontier",
// "seq.queue").
func MetaKey(key string, num uint32) string {
	if num <= Legacy {
		return key
	}
	return key + suffix(num)
}

// HashKey is the content-hash index key of hash within portal num: dedup
// stays within a portal.
func HashKey(hash string, num uint32) string {
	if num <= Legacy {
		return hash
	}
	return hash + "@" + strconv.FormatUint(uint64(num), 10)
}
