package archive

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/parc-archiver/parc/archive/internal/fingerprint"
	"github.com/parc-archiver/parc/record"
	bolt "go.etcd.io/bbolt"
)

// ExtractFunc extracts an article from a stored raw capture (no network).
// It must not keep c after it returns.
type ExtractFunc func(c *record.Capture) (*Article, error)

// ReextractOptions configures Reextract. The zero value writes revisions,
// reading 256 records per read transaction.
type ReextractOptions struct {
	// DryRun compares without writing: Revised results say what would
	// change (with the Diff that the revision would carry).
	DryRun bool
	// BatchSize is how many records are read per read transaction; 0
	// means 256.
	BatchSize int
	// OnResult, when set, is called once per record examined (for a
	// written revision, after its commit), one call at a time, from the
	// caller's goroutine or the archive's committer. It must be quick and
	// must not call into the archive.
	OnResult func(ReextractResult)
}

// ReextractResult is what re-extracting one record found.
type ReextractResult struct {
	ID        string
	URL       string
	CaptureID string // the capture extracted from; empty when none is stored
	// Outcome is OutcomeRevised (a new revision, or would be with
	// DryRun) or OutcomeUnchanged; zero when Err is set or there is no
	// capture.
	Outcome  Outcome
	Revision int   // the record's revision after this (with DryRun: the one it would get)
	Diff     *Diff // for OutcomeRevised
	Err      error // the extraction or storing failed; nothing was written
}

// ReextractStats counts what Reextract did.
type ReextractStats struct {
	Examined  int `json:"examined"`   // records looked at (redacted ones are skipped)
	Revised   int `json:"revised"`    // new revisions (would-be ones with DryRun)
	Unchanged int `json:"unchanged"`  // extraction equals the current revision
	NoCapture int `json:"no_capture"` // no raw capture of the current revision is stored
	Failed    int `json:"failed"`     // extraction or storing failed
}

// errChangedMeanwhile is the ReextractResult.Err of a record that a
// concurrent write revised between its read and its re-extraction.
var errChangedMeanwhile = errors.New("record changed while being re-extracted; run reextract again")

// Reextract re-runs extraction (fn) over the newest stored raw capture of
// each record's current revision and stores a new revision only where the
// title, body or byline changed, as a crawl would have. A revision it
// creates looks like the fetch that made the capture: its fetched_at is
// the capture's time and it cites that capture (capture_id), which is
// shared with the revision that captured it first. A result equal to the
// current revision changes nothing (not even last_seen).
//
// Records are read in pages of BatchSize, each in its own short read
// transaction (so writes can grow the file in between), and the revisions
// go through the committer in batches. Reextract is idempotent: stopped at
// any point (ctx, kill), running it again examines everything again and
// revises only what is still different. It needs a read-write archive
// unless DryRun.
func (a *Archive) Reextract(ctx context.Context, fn ExtractFunc, opts ReextractOptions) (ReextractStats, error) {
	if opts.BatchSize <= 0 {
		opts.BatchSize = 256
	}
	if !opts.DryRun && a.ops == nil {
		return ReextractStats{}, fmt.Errorf("reextract %s: %w", a.path, ErrReadOnly)
	}
	var (
		mu    sync.Mutex // report runs on the caller's and the committer's goroutines
		st    ReextractStats
		after string
	)
	report := func(r ReextractResult) {
		mu.Lock()
		defer mu.Unlock()
		st.Examined++
		switch {
		case r.Err != nil:
			st.Failed++
		case r.CaptureID == "":
			st.NoCapture++
		case r.Outcome == OutcomeRevised:
			st.Revised++
		case r.Outcome == OutcomeUnchanged:
			st.Unchanged++
		}
		if opts.OnResult != nil {
			opts.OnResult(r)
		}
	}
	total := func() ReextractStats {
		mu.Lock()
		defer mu.Unlock()
		return st
	}
	for {
		if err := ctx.Err(); err != nil {
			a.flush(context.Background())
			return total(), err
		}
		items, next, err := a.currentCaptures(after, opts.BatchSize)
		if err != nil {
			return total(), fmt.Errorf("reextract %s: %w", a.path, err)
		}
		if len(items) == 0 {
			break
		}
		after = next
		for _, it := range items {
			r, in := a.reextractOne(fn, it)
			if r.Err != nil || r.CaptureID == "" || r.Outcome == OutcomeUnchanged || opts.DryRun {
				report(r)
				continue
			}
			o := a.reviseOp(it, in, &r, report)
			if err := a.send(ctx, o); err != nil {
				a.flush(context.Background())
				return total(), fmt.Errorf("reextract %s: %w", a.path, err)
			}
		}
		// Wait for this page's revisions so that results are reported
		// (and counted) before the next page is read.
		if !opts.DryRun {
			if err := a.flush(ctx); err != nil {
				return total(), fmt.Errorf("reextract %s: %w", a.path, err)
			}
		}
	}
	return total(), nil
}

// storedCapture is the newest stored capture of one record's current
// revision, with what Reextract compares against.
type storedCapture struct {
	id        string
	seq       uint64 // the doc's change sequence when read
	rec       record.Record
	ref       CaptureRef // zero when no capture is stored
	capture   *record.Capture
	decodeErr error
}

// currentCaptures reads, in one short read transaction, up to limit
// records with ids after the given one (in id order, redacted ones
// skipped) and the newest stored capture of each one's current revision.
// next is the id to resume after; no items means the end.
func (a *Archive) currentCaptures(after string, limit int) (items []storedCapture, next string, err error) {
	err = a.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bDocs).Cursor()
		k, _ := c.First()
		if after != "" {
			k, _ = c.Seek([]byte(after))
			if k != nil && bytes.Equal(k, []byte(after)) {
				k, _ = c.Next()
			}
		}
		caps := tx.Bucket(bCaptures)
		for ; k != nil && len(items) < limit; k, _ = c.Next() {
			id := string(k)
			next = id
			d, r, err := loadDoc(tx, id)
			if err != nil {
				return err
			}
			if d.Redacted != nil {
				continue
			}
			it := storedCapture{id: id, seq: d.Seq, rec: *r}
			cur := d.Revs[len(d.Revs)-1]
			cands := append([]CaptureRef{{ID: cur.CaptureID, Digest: cur.CaptureDigest, FetchedAt: cur.FetchedAt}}, cur.Refetches...)
			for i := len(cands) - 1; i >= 0; i-- { // refetches are appended in fetch order
				if cands[i].ID == "" {
					continue
				}
				v := caps.Get([]byte(cands[i].ID))
				if v == nil {
					continue // removed by retention
				}
				it.ref = cands[i]
				it.capture, it.ref.Digest, it.decodeErr = a.codec.Decode(v)
				if it.capture != nil {
					it.ref.URL = it.capture.URL
					it.ref.FetchedAt = utc(it.capture.FetchedAt)
				}
				break
			}
			items = append(items, it)
		}
		return nil
	})
	return items, next, err
}

// reextractOne extracts it's capture and compares the result with the
// current revision. For a change it returns the prepared page to store.
func (a *Archive) reextractOne(fn ExtractFunc, it storedCapture) (ReextractResult, *prepared) {
	r := ReextractResult{ID: it.id, URL: it.rec.URL, CaptureID: it.ref.ID, Revision: it.rec.Revision}
	if it.ref.ID == "" {
		return r, nil
	}
	if it.decodeErr != nil {
		r.Err = fmt.Errorf("capture %s of %s: %w", it.ref.ID, it.id, it.decodeErr)
		return r, nil
	}
	art, err := fn(it.capture)
	if err != nil {
		r.Err = fmt.Errorf("extract %s from capture %s: %w", it.rec.URL, it.ref.ID, err)
		return r, nil
	}
	in, err := a.prepare(Page{URL: it.capture.URL, Portal: it.rec.Portal, Article: art, FetchedAt: it.capture.FetchedAt})
	if err != nil {
		r.Err = fmt.Errorf("re-extracted %s: %w", it.rec.URL, err)
		return r, nil
	}
	in.capture = &encodedCapture{ref: it.ref}
	if in.hash == it.rec.ContentHash && fingerprint.Collapse(art.Byline) == it.rec.Byline {
		r.Outcome = OutcomeUnchanged
		return r, nil
	}
	next := it.rec
	fill(&next, in)
	r.Outcome, r.Revision, r.Diff = OutcomeRevised, it.rec.Revision+1, diffRecords(&it.rec, &next)
	return r, in
}

// reviseOp stores in as a new revision of it's record, unless a write
// changed the record since it was read.
func (a *Archive) reviseOp(it storedCapture, in *prepared, r *ReextractResult, report func(ReextractResult)) *op {
	res := *r
	size := pageSize(in.p, in)
	if it.capture != nil && in.p.Capture != it.capture {
		size += int64(len(it.capture.Body))
	}
	return &op{
		size: size,
		apply: func(tx *bolt.Tx) error {
			res.Err = nil
			d, cur, err := loadDoc(tx, it.id)
			if err != nil {
				return err
			}
			if d.Seq != it.seq || d.Redacted != nil {
				res.Err = fmt.Errorf("%s: %w", it.id, errChangedMeanwhile)
				return nil
			}
			v := tx.Bucket(bCaptures).Get([]byte(it.ref.ID))
			if v == nil {
				res.Err = fmt.Errorf("%s: capture %s: %w", it.id, it.ref.ID, errChangedMeanwhile)
				return nil
			}
			in.capture.value = append([]byte{}, v...) // rewritten unchanged by revise
			stored, err := a.revise(tx, in, d, cur)
			if err != nil {
				return err
			}
			res.Revision = stored.Revision
			return nil
		},
		after: func(err error) {
			if err != nil {
				res.Err = err
			}
			if res.Err != nil {
				res.Outcome, res.Diff = 0, nil
			}
			report(res)
		},
	}
}
