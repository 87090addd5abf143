package archive

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/parc-archiver/parc/archive/internal/fingerprint"
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

// Verify checks the whole archive in one read transaction: every record
// and revision decodes and matches its content hash, the URL, hash, order
// and near-duplicate indexes agree with the records, and every raw capture
// decompresses to its digest. It returns the problems found; the error is
// for failures to read at all.
func (a *Archive) Verify(ctx context.Context) ([]Problem, error) {
	var probs []Problem
	add := func(kind, id, format string, args ...any) {
		probs = append(probs, Problem{Kind: kind, ID: id, Detail: fmt.Sprintf(format, args...)})
	}
	err := a.db.View(func(tx *bolt.Tx) error {
		docs := map[string]*doc{}
		refs := map[string]string{} // capture id -> record id
		if err := tx.Bucket(bDocs).ForEach(func(k, v []byte) error {
			var d doc
			if err := json.Unmarshal(v, &d); err != nil {
				add("record", string(k), "state does not decode: %v", err)
				return nil
			}
			if d.ID != string(k) || len(d.Revs) == 0 {
				add("record", string(k), "state names id %q with %d revisions", d.ID, len(d.Revs))
				return nil
			}
			docs[d.ID] = &d
			return nil
		}); err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		// The newest records' index entries are in the tail, derived
		// from their docs, not in the trees. What it skips, verify
		// reports below.
		tail := loadTail(tx, func(error) {})
		recs := tx.Bucket(bRecords)
		revs := tx.Bucket(bRevisions)
		if err := recs.ForEach(func(k, _ []byte) error {
			if docs[string(k)] == nil {
				add("record", string(k), "record without state")
			}
			return nil
		}); err != nil {
			return err
		}
		for id, d := range docs {
			raw := recs.Get([]byte(id))
			var r record.Record
			if raw == nil {
				add("record", id, "state without record")
				continue
			}
			if err := json.Unmarshal(raw, &r); err != nil {
				add("record", id, "does not decode: %v", err)
				continue
			}
			if r.ID != id || r.Revision != len(d.Revs) {
				add("record", id, "names id %q revision %d, history has %d revisions", r.ID, r.Revision, len(d.Revs))
			}
			for i, rv := range d.Revs {
				if rv.Revision != i+1 {
					add("revision", id, "revision chain out of order at %d: %d", i+1, rv.Revision)
				}
				for _, cid := range append([]string{rv.CaptureID}, refIDs(rv.Refetches)...) {
					if cid != "" {
						refs[cid] = id
					}
				}
				if i == len(d.Revs)-1 || d.Redacted != nil {
					continue
				}
				old := revs.Get(revKey(id, rv.Revision))
				var or record.Record
				if old == nil {
					add("revision", id, "revision %d missing", rv.Revision)
				} else if err := json.Unmarshal(old, &or); err != nil {
					add("revision", id, "revision %d does not decode: %v", rv.Revision, err)
				} else if or.Revision != rv.Revision || fingerprint.ContentHash(or.Title, or.Body) != rv.ContentHash {
					add("revision", id, "revision %d does not match its content hash", rv.Revision)
				}
			}
			if d.Redacted != nil {
				continue
			}
			if h := fingerprint.ContentHash(r.Title, r.Body); h != r.ContentHash || h != d.Revs[len(d.Revs)-1].ContentHash {
				add("record", id, "content hash %s does not match its text (%s)", r.ContentHash, h)
			}
			if _, ok := tail.hashOwner(r.ContentHash); !ok && tx.Bucket(bHashes).Get([]byte(r.ContentHash)) == nil {
				add("index", id, "content hash %s not indexed", r.ContentHash)
			}
			hv := tx.Bucket(bOrder).Get(u64(d.Order))
			if h, err := decodeHead(hv); hv == nil || err != nil || h.id != id || h.seq != d.Seq {
				add("index", id, "order entry %d missing or wrong", d.Order)
			}
			// A tail record's entries derive from its doc: only the
			// trees' can be missing.
			for band := range 4 {
				if !tail.holds(d.Order) && tx.Bucket(bSim).Get(simKey(band, d.SimHash, id)) == nil {
					add("index", id, "near-duplicate band %d missing", band)
				}
			}
			for _, k := range d.Keys {
				if v := tx.Bucket(bURLs).Get([]byte(k)); string(v) != id {
					add("index", id, "url key %s maps to %q", k, v)
				}
			}
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := tx.Bucket(bURLs).ForEach(func(k, v []byte) error {
			if d := docs[string(v)]; d == nil || !slices.Contains(d.Keys, string(k)) {
				add("index", string(v), "url key %s points to a record that does not list it", k)
			}
			return nil
		}); err != nil {
			return err
		}
		if err := tx.Bucket(bHashes).ForEach(func(k, v []byte) error {
			if docs[string(v)] == nil {
				add("index", string(v), "content hash %s points to a missing record", k)
			}
			return nil
		}); err != nil {
			return err
		}
		if err := tx.Bucket(bOrder).ForEach(func(k, v []byte) error {
			h, err := decodeHead(v)
			if err != nil || docs[h.id] == nil || docs[h.id].Order != binary.BigEndian.Uint64(k) {
				add("index", h.id, "order entry %x points to a missing record", k)
			}
			return nil
		}); err != nil {
			return err
		}
		if err := revs.ForEach(func(k, _ []byte) error {
			if len(k) < 4 || docs[string(k[:len(k)-4])] == nil {
				add("revision", "", "revision %q without record", k)
			}
			return nil
		}); err != nil {
			return err
		}
		caps := tx.Bucket(bCaptures)
		n := 0
		if err := caps.ForEach(func(k, v []byte) error {
			if n++; n%64 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			if err := a.codec.Check(v); err != nil {
				add("capture", string(k), "%v", err)
			}
			if _, ok := refs[string(k)]; !ok {
				add("capture", string(k), "not linked from any record")
			}
			return nil
		}); err != nil {
			return err
		}
		for cid, id := range refs {
			if caps.Get([]byte(cid)) == nil {
				add("capture", cid, "linked from record %s but missing", id)
			}
		}
		return nil
	})
	if err != nil {
		return probs, fmt.Errorf("verify %s: %w", a.path, err)
	}
	slices.SortFunc(probs, func(x, y Problem) int {
		if c := strings.Compare(x.Kind, y.Kind); c != 0 {
			return c
		}
		if c := strings.Compare(x.ID, y.ID); c != 0 {
			return c
		}
		return strings.Compare(x.Detail, y.Detail)
	})
	return probs, nil
}

func refIDs(refs []CaptureRef) []string {
	out := make([]string, 0, len(refs))
	for _, r := range refs {
		out = append(out, r.ID)
	}
	return out
}
