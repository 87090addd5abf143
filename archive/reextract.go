package archive

import (
	"bytes"
	"context"
	"fmt"

	"github.com/parc-archiver/parc/archive/internal/fingerprint"
	"github.com/parc-archiver/parc/archive/internal/revdiff"
	"github.com/parc-archiver/parc/record"
	bolt "go.etcd.io/bbolt"
)

// CurrentCapture is the newest stored raw capture of one record's current
// revision, as CurrentCaptures read it (only it makes them: it notes the
// record's state, against which ReviseFromCapture checks).
type CurrentCapture struct {
	ID     string        // the record's id
	Record record.Record // its current revision
	// Ref points at the capture; Ref.ID is empty when none is stored
	// (never kept, or removed by retention).
	Ref     CaptureRef
	Capture *record.Capture // the decoded capture; nil when none or Err
	Err     error           // the stored capture does not decode
	seq     uint64          // the record's change sequence when read
}

// CurrentCaptures reads, in one short read transaction, up to limit
// records with ids after the given one (in id order, redacted ones
// skipped) and the newest stored capture of each one's current revision.
// next is the id to resume after; no captures means the end. Short
// transactions let the committer grow the file in between.
func (a *Archive) CurrentCaptures(ctx context.Context, after string, limit int) (cs []CurrentCapture, next string, err error) {
	err = a.view(ctx, func(tx *bolt.Tx) error {
		c := tx.Bucket(bDocs).Cursor()
		k, _ := c.First()
		if after != "" {
			k, _ = c.Seek([]byte(after))
			if k != nil && bytes.Equal(k, []byte(after)) {
				k, _ = c.Next()
			}
		}
		for ; k != nil && len(cs) < limit; k, _ = c.Next() {
			id := string(k)
			next = id
			d, r, err := loadDoc(tx, id)
			if err != nil {
				return err
			}
			if d.Redacted == nil {
				cs = append(cs, a.currentCapture(tx, d, r))
			}
		}
		return nil
	})
	return cs, next, err
}

// currentCapture finds the newest stored capture of d's current revision.
func (a *Archive) currentCapture(tx *bolt.Tx, d *doc, r *record.Record) CurrentCapture {
	cc := CurrentCapture{ID: d.ID, seq: d.Seq, Record: *r}
	cur := d.Revs[len(d.Revs)-1]
	cands := append([]CaptureRef{{ID: cur.CaptureID, Digest: cur.CaptureDigest, FetchedAt: cur.FetchedAt}}, cur.Refetches...)
	for i := len(cands) - 1; i >= 0; i-- { // refetches are appended in fetch order
		if cands[i].ID == "" {
			continue
		}
		v := tx.Bucket(bCaptures).Get([]byte(cands[i].ID))
		if v == nil {
			continue // removed by retention
		}
		var err error
		cc.Ref = cands[i]
		cc.Capture, cc.Ref.Digest, err = a.codec.Decode(v)
		if err != nil {
			cc.Err = fmt.Errorf("capture %s of %s: %w", cc.Ref.ID, cc.ID, err)
		}
		if cc.Capture != nil {
			cc.Ref.URL = cc.Capture.URL
			cc.Ref.FetchedAt = utc(cc.Capture.FetchedAt)
		}
		break
	}
	return cc
}

// Comparison is an article re-extracted from a CurrentCapture compared
// with the record's current revision, as CompareRevision made it.
type Comparison struct {
	// Outcome is OutcomeRevised (storing the article makes a new
	// revision) or OutcomeUnchanged.
	Outcome  Outcome
	Revision int   // the revision the record would have after storing it
	Diff     *Diff // from the current revision, for OutcomeRevised
	from     CurrentCapture
	in       *prepared // the page to store, for OutcomeRevised
}

// CompareRevision compares art, extracted from c.Capture, with c's
// record's current revision as storing it would (title, body and byline),
// and writes nothing. The revision it would make looks like the fetch that
// made the capture: the capture's URL and time, citing the capture.
func (a *Archive) CompareRevision(c CurrentCapture, art *Article) (Comparison, error) {
	if c.Capture == nil {
		return Comparison{}, fmt.Errorf("compare %s: no decoded capture", c.ID)
	}
	in, err := a.prepare(Page{URL: c.Capture.URL, Portal: c.Record.Portal, Article: art, FetchedAt: c.Capture.FetchedAt})
	if err != nil {
		return Comparison{}, fmt.Errorf("re-extracted %s: %w", c.Record.URL, err)
	}
	in.capture = &encodedCapture{ref: c.Ref}
	if in.hash == c.Record.ContentHash && fingerprint.Collapse(art.Byline) == c.Record.Byline {
		return Comparison{Outcome: OutcomeUnchanged, Revision: c.Record.Revision}, nil
	}
	next := c.Record
	fill(&next, in)
	return Comparison{Outcome: OutcomeRevised, Revision: c.Record.Revision + 1,
		Diff: revdiff.Records(&c.Record, &next), from: c, in: in}, nil
}

// ReviseFromCapture queues the article of cmp, an OutcomeRevised
// Comparison, for the committer, which stores it as a new revision of the
// record, citing the capture it came from (shared with the revision that
// stored the capture first) and carrying the capture's fetch time, unless
// a write changed the record since CurrentCaptures read it: that is an
// error wrapping ErrChangedMeanwhile, and nothing is written. onStored is
// called once, on the committer goroutine after the commit (see Flush),
// with the revision stored or the error; it must be quick and must not
// call into the archive. ReviseFromCapture blocks while the queue is full;
// when the revision cannot be queued it returns the error (ctx's,
// ErrReadOnly, ErrClosed) and onStored is not called.
func (a *Archive) ReviseFromCapture(ctx context.Context, cmp Comparison, onStored func(revision int, err error)) error {
	if cmp.in == nil {
		return fmt.Errorf("revise %s: %s is not a revision", cmp.from.ID, cmp.Outcome)
	}
	return a.send(ctx, a.reviseOp(cmp, onStored))
}

// reviseOp is the op that stores cmp as a revision (see ReviseFromCapture).
func (a *Archive) reviseOp(cmp Comparison, onStored func(int, error)) *op {
	c, in := cmp.from, cmp.in
	revision, errStored := cmp.Revision, error(nil)
	size := pageSize(in.p, in)
	if in.p.Capture != c.Capture {
		size += int64(len(c.Capture.Body))
	}
	return &op{
		size: size,
		apply: func(tx *bolt.Tx) error {
			errStored = nil
			d, cur, err := loadDoc(tx, c.ID)
			if err != nil {
				return err
			}
			if d.Seq != c.seq || d.Redacted != nil {
				errStored = fmt.Errorf("%s: %w", c.ID, ErrChangedMeanwhile)
				return nil
			}
			v := tx.Bucket(bCaptures).Get([]byte(c.Ref.ID))
			if v == nil {
				errStored = fmt.Errorf("%s: capture %s: %w", c.ID, c.Ref.ID, ErrChangedMeanwhile)
				return nil
			}
			in.capture.value = append([]byte{}, v...) // rewritten unchanged by revise
			stored, err := a.revise(tx, in, d, cur)
			if err != nil {
				return err
			}
			revision = stored.Revision
			return nil
		},
		after: func(err error) {
			if err != nil {
				errStored = err
			}
			onStored(revision, errStored)
		},
	}
}
