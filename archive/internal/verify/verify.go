// Package verify checks a parc archive's stored form in one read
// transaction: every record and revision decodes and matches its content
// hash, the URL, hash, order and near-duplicate indexes agree with the
// records, and every raw capture decompresses to its digest. It reads the
// records' states (package archive's doc JSON) itself.
package verify

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/parc-archiver/parc/archive/internal/capture"
	"github.com/parc-archiver/parc/archive/internal/checksum"
	"github.com/parc-archiver/parc/archive/internal/fingerprint"
	"github.com/parc-archiver/parc/archive/internal/orderhead"
	"github.com/parc-archiver/parc/archive/internal/portals"
	"github.com/parc-archiver/parc/archive/internal/tail"
	"github.com/parc-archiver/parc/record"
	bolt "go.etcd.io/bbolt"
)

// Problem is one inconsistency found by Verify.
type Problem struct {
	Kind   string `json:"kind"`   // record, revision, index, capture
	ID     string `json:"id"`     // record or capture id, when known
	Detail string `json:"detail"` // what is wrong
}

func (p Problem) String() string {
	if p.ID == "" {
		return p.Kind + ": " + p.Detail
	}
	return p.Kind + " " + p.ID + ": " + p.Detail
}

// Buckets names the archive's buckets the checks read.
type Buckets struct {
	Meta, Docs, Records, Revisions, Order, URLs, Hashes, Sim, Captures []byte
	// Responses holds the captures of the responses that are no article
	// page (archive.keep_raw: all), linked from no record; it may be
	// absent.
	Responses []byte
}

// Check is what one verification reads: the read transaction, the
// buckets, the capture codec and the index tail built from tx.
type Check struct {
	Tx      *bolt.Tx
	Buckets Buckets
	Codec   *capture.Codec
	Tail    *tail.Tail
}

// doc is the part of a record's stored state the checks read.
type doc struct {
	ID       string    `json:"id"`
	Order    uint64    `json:"order"`
	Seq      uint64    `json:"seq"`
	Keys     []string  `json:"keys"`
	SimHash  uint64    `json:"simhash"`
	Revs     []rev     `json:"revs"`
	Redacted *struct{} `json:"redacted,omitempty"`
	Portal   uint32    `json:"portal,omitempty"`
}

func (d *doc) portal() uint32 { return max(d.Portal, portals.Legacy) }

type rev struct {
	Revision    int    `json:"revision"`
	ContentHash string `json:"content_hash"`
	CaptureID   string `json:"capture_id,omitempty"`
	Refetches   []struct {
		ID string `json:"id"`
	} `json:"refetches,omitempty"`
}

// Run checks the archive in c.Tx and returns the problems found, sorted;
// the error is for failures to read at all (and ctx ending).
func Run(ctx context.Context, c Check) ([]Problem, error) {
	v := &verifier{ctx: ctx, Check: c, docs: map[string]*doc{}, refs: map[string]string{}}
	for _, step := range []func() error{v.checkPortals, v.loadDocs, v.checkRecords, v.checkURLIndex, v.checkHashIndex,
		v.checkOrderIndex, v.checkOrphanRevisions, v.checkCaptures} {
		if err := ctx.Err(); err != nil {
			return v.probs, err
		}
		if err := step(); err != nil {
			return v.probs, err
		}
	}
	slices.SortFunc(v.probs, func(x, y Problem) int {
		if c := strings.Compare(x.Kind, y.Kind); c != 0 {
			return c
		}
		if c := strings.Compare(x.ID, y.ID); c != 0 {
			return c
		}
		return strings.Compare(x.Detail, y.Detail)
	})
	return v.probs, nil
}

// verifier is the state of one Verify: the read transaction, the records'
// decoded states and which record links each capture.
type verifier struct {
	Check
	ctx   context.Context
	docs  map[string]*doc
	refs  map[string]string // capture id -> record id
	probs []Problem
	n     int // items checked, for checking ctx now and then
	// portals maps each registered portal name to its number (a rename's
	// old name too, while it is in progress); nil when the archive has no
	// registry (read-only, from before portals).
	portals map[string]uint32
}

// checkPortals reads the registry and checks that each portal's buckets
// exist.
func (v *verifier) checkPortals() error {
	if v.Tx.Bucket(portals.Bucket) == nil {
		return nil
	}
	all, err := portals.All(v.Tx)
	if err != nil {
		v.add("portal", "", "registry does not decode: %v", err)
		return nil
	}
	v.portals = map[string]uint32{}
	for _, p := range all {
		v.portals[p.Name] = p.Num
		l := portals.LayoutOf(p.Num, v.Buckets.URLs)
		for _, b := range [][]byte{l.Queue, l.Seen, l.Failed, l.GaveUp, portals.RunsBucket(p.Num)} {
			if v.Tx.Bucket(b) == nil {
				v.add("portal", p.Name, "bucket %s missing", b)
			}
		}
		if _, err := portals.Template(v.Tx, p.Name); err != nil {
			v.add("portal", p.Name, "%v (derived: the next crawl rebuilds it, parc learn --reset drops it)", err)
		}
	}
	if r, err := portals.InProgress(v.Tx, v.Buckets.Meta); err != nil {
		v.add("portal", "", "%v", err)
	} else if r != nil {
		v.portals[r.Old] = v.portals[r.New]
	}
	return nil
}

// checkPortal checks that r's portal is registered under d's number.
func (v *verifier) checkPortal(id string, d *doc, r *record.Record) {
	if v.portals == nil {
		return
	}
	if num, ok := v.portals[r.Portal]; !ok || num != d.portal() {
		v.add("portal", id, "record of portal %q (number %d) registered as number %d", r.Portal, d.portal(), num)
	}
}

func (v *verifier) add(kind, id, format string, args ...any) {
	v.probs = append(v.probs, Problem{Kind: kind, ID: id, Detail: fmt.Sprintf(format, args...)})
}

// tick returns ctx's error every 64 items.
func (v *verifier) tick() error {
	if v.n++; v.n%64 == 0 {
		return v.ctx.Err()
	}
	return nil
}

// loadDocs decodes every record's state.
func (v *verifier) loadDocs() error {
	err := v.Tx.Bucket(v.Buckets.Docs).ForEach(func(k, val []byte) error {
		if err := v.tick(); err != nil {
			return err
		}
		var d doc
		if err := json.Unmarshal(val, &d); err != nil {
			v.add("record", string(k), "state does not decode: %v", err)
			return nil
		}
		if d.ID != string(k) || len(d.Revs) == 0 {
			v.add("record", string(k), "state names id %q with %d revisions", d.ID, len(d.Revs))
			return nil
		}
		v.docs[d.ID] = &d
		return nil
	})
	return err
}

// checkRecords checks every record against its state, revisions and
// index entries.
func (v *verifier) checkRecords() error {
	recs := v.Tx.Bucket(v.Buckets.Records)
	if err := recs.ForEach(func(k, _ []byte) error {
		if v.docs[string(k)] == nil {
			v.add("record", string(k), "record without state")
		}
		return nil
	}); err != nil {
		return err
	}
	for id, d := range v.docs {
		if err := v.tick(); err != nil {
			return err
		}
		raw := recs.Get([]byte(id))
		if raw == nil {
			v.add("record", id, "state without record")
			continue
		}
		raw, err := checksum.Open(raw)
		if err != nil {
			v.add("record", id, "%v", err)
			continue
		}
		var r record.Record
		if err := json.Unmarshal(raw, &r); err != nil {
			v.add("record", id, "does not decode: %v", err)
			continue
		}
		v.checkRecord(id, d, &r)
	}
	return nil
}

// checkRecord checks one record r with state d.
func (v *verifier) checkRecord(id string, d *doc, r *record.Record) {
	if r.ID != id || r.Revision != len(d.Revs) {
		v.add("record", id, "names id %q revision %d, history has %d revisions", r.ID, r.Revision, len(d.Revs))
	}
	v.checkRevisions(id, d)
	v.checkPortal(id, d, r)
	if d.Redacted != nil {
		return
	}
	if h := fingerprint.ContentHash(r.Title, r.Body); h != r.ContentHash || h != d.Revs[len(d.Revs)-1].ContentHash {
		v.add("record", id, "content hash %s does not match its text (%s)", r.ContentHash, h)
	}
	v.checkIndexEntries(id, d, r)
}

// checkRevisions checks d's revision chain and the stored earlier
// revisions, and notes which captures d links.
func (v *verifier) checkRevisions(id string, d *doc) {
	revs := v.Tx.Bucket(v.Buckets.Revisions)
	for i, rv := range d.Revs {
		if rv.Revision != i+1 {
			v.add("revision", id, "revision chain out of order at %d: %d", i+1, rv.Revision)
		}
		for _, cid := range rv.captureIDs() {
			if cid != "" {
				v.refs[cid] = id
			}
		}
		if i == len(d.Revs)-1 || d.Redacted != nil {
			continue
		}
		old := revs.Get(binary.BigEndian.AppendUint32([]byte(id), uint32(rv.Revision)))
		if old == nil {
			v.add("revision", id, "revision %d missing", rv.Revision)
			continue
		}
		old, err := checksum.Open(old)
		if err != nil {
			v.add("revision", id, "revision %d: %v", rv.Revision, err)
			continue
		}
		var or record.Record
		if err := json.Unmarshal(old, &or); err != nil {
			v.add("revision", id, "revision %d does not decode: %v", rv.Revision, err)
		} else if or.Revision != rv.Revision || fingerprint.ContentHash(or.Title, or.Body) != rv.ContentHash {
			v.add("revision", id, "revision %d does not match its content hash", rv.Revision)
		}
	}
}

// checkIndexEntries checks that the content-hash, order, near-duplicate
// and URL indexes hold r's entries.
func (v *verifier) checkIndexEntries(id string, d *doc, r *record.Record) {
	tx := v.Tx
	key := portals.HashKey(r.ContentHash, d.portal())
	if _, ok := v.Tail.HashOwner(key); !ok && tx.Bucket(v.Buckets.Hashes).Get([]byte(key)) == nil {
		v.add("index", id, "content hash %s not indexed", r.ContentHash)
	}
	hv := tx.Bucket(v.Buckets.Order).Get(binary.BigEndian.AppendUint64(nil, d.Order))
	if h, err := orderhead.Decode(hv); hv == nil || err != nil || h.ID != id || h.Seq != d.Seq || h.Portal != d.portal() {
		v.add("index", id, "order entry %d missing or wrong", d.Order)
	}
	// A tail record's entries derive from its doc: only the trees' can
	// be missing.
	for band := range 4 {
		if !v.Tail.Holds(d.Order) && tx.Bucket(v.Buckets.Sim).Get(tail.SimKey(band, d.SimHash, id)) == nil {
			v.add("index", id, "near-duplicate band %d missing", band)
		}
	}
	for _, k := range d.Keys {
		if val := tx.Bucket(v.Buckets.URLs).Get([]byte(k)); string(val) != id {
			v.add("index", id, "url key %s maps to %q", k, val)
		}
	}
}

// checkURLIndex checks that every URL key names a record that lists it.
func (v *verifier) checkURLIndex() error {
	return v.Tx.Bucket(v.Buckets.URLs).ForEach(func(k, val []byte) error {
		if d := v.docs[string(val)]; d == nil || !slices.Contains(d.Keys, string(k)) {
			v.add("index", string(val), "url key %s points to a record that does not list it", k)
		}
		return v.tick()
	})
}

// checkHashIndex checks that every content hash names a record.
func (v *verifier) checkHashIndex() error {
	return v.Tx.Bucket(v.Buckets.Hashes).ForEach(func(k, val []byte) error {
		if v.docs[string(val)] == nil {
			v.add("index", string(val), "content hash %s points to a missing record", k)
		}
		return v.tick()
	})
}

// checkOrderIndex checks that every order entry names its record.
func (v *verifier) checkOrderIndex() error {
	return v.Tx.Bucket(v.Buckets.Order).ForEach(func(k, val []byte) error {
		h, err := orderhead.Decode(val)
		if err != nil || v.docs[h.ID] == nil || v.docs[h.ID].Order != binary.BigEndian.Uint64(k) {
			v.add("index", h.ID, "order entry %x points to a missing record", k)
		}
		return v.tick()
	})
}

// checkOrphanRevisions reports stored revisions of unknown records.
func (v *verifier) checkOrphanRevisions() error {
	return v.Tx.Bucket(v.Buckets.Revisions).ForEach(func(k, _ []byte) error {
		if len(k) < 4 || v.docs[string(k[:len(k)-4])] == nil {
			v.add("revision", "", "revision %q without record", k)
		}
		return v.tick()
	})
}

// checkCaptures decodes every capture against its digest and checks that
// captures and the records linking them agree.
func (v *verifier) checkCaptures() error {
	caps := v.Tx.Bucket(v.Buckets.Captures)
	if err := caps.ForEach(func(k, val []byte) error {
		if err := v.tick(); err != nil {
			return err
		}
		if err := v.Codec.Check(val); err != nil {
			v.add("capture", string(k), "%v", err)
		}
		if _, ok := v.refs[string(k)]; !ok {
			v.add("capture", string(k), "not linked from any record")
		}
		return nil
	}); err != nil {
		return err
	}
	for cid, id := range v.refs {
		if caps.Get([]byte(cid)) == nil {
			v.add("capture", cid, "linked from record %s but missing", id)
		}
	}
	return v.checkResponses()
}

// checkResponses decodes every capture of the other responses against
// its digest.
func (v *verifier) checkResponses() error {
	b := v.Tx.Bucket(v.Buckets.Responses)
	if b == nil {
		return nil
	}
	return b.ForEach(func(k, val []byte) error {
		if err := v.tick(); err != nil {
			return err
		}
		if err := v.Codec.Check(val); err != nil {
			v.add("capture", string(k), "%v", err)
		}
		return nil
	})
}

func (rv rev) captureIDs() []string {
	out := []string{rv.CaptureID}
	for _, r := range rv.Refetches {
		out = append(out, r.ID)
	}
	return out
}
