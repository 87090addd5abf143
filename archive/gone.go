package archive

import (
	"context"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/parc-archiver/parc/internal/canon"
	"github.com/parc-archiver/parc/record"
)

// GoneOutcome is what MarkGone did.
type GoneOutcome uint8

// Outcomes of MarkGone.
const (
	GoneMarked  GoneOutcome = 1 // gone_since set now
	GoneAlready GoneOutcome = 2 // already marked: gone_since kept (the first time seen gone)
	GoneAlias   GoneOutcome = 3 // the URL is only an alias of the record: not marked
)

// MarkGone records that the article at url answered 404 or 410, or
// redirected to the home page, at time at: its record gets gone_since
// (RFC 3339 UTC, the first time it was seen gone) and is never deleted.
// Only the record's own URL marks it; an alias (a cross-post, an old
// address) that disappears while the article lives on does not. A record
// whose article is stored again later (any fetch of its content) has
// gone_since cleared: the article came back. Marking moves the record's
// change sequence, so `export --since-last` carries it.
//
// MarkGone goes through the archive's committer in FIFO order with pages
// submitted before it, and returns once committed. An unknown url
// returns an error wrapping ErrNotFound.
func (w *Writer) MarkGone(ctx context.Context, url string, at time.Time) (GoneOutcome, error) {
	w.mu.RLock()
	defer w.mu.RUnlock()
	if w.closed {
		return 0, ErrClosed
	}
	key, err := canon.Key(url)
	if err != nil {
		return 0, fmt.Errorf("mark gone %s: %w", url, ErrNotFound)
	}
	var (
		outcome GoneOutcome
		found   bool
	)
	err = w.a.do(ctx, func(tx *bolt.Tx) error {
		outcome, found = 0, false
		v := tx.Bucket(bURLs).Get([]byte(key))
		if v == nil {
			return nil
		}
		found = true
		d, r, err := loadDoc(tx, string(v))
		if err != nil {
			return err
		}
		if own, err := canon.Key(r.URL); err != nil || own != key || d.Redacted != nil {
			outcome = GoneAlias
			return nil
		}
		if r.GoneSince != "" {
			outcome = GoneAlready
			return nil
		}
		r.GoneSince = utc(at)
		seq, err := nextSeq(tx, metaChgSeq)
		if err != nil {
			return err
		}
		d.Seq = seq
		outcome = GoneMarked
		return saveDoc(tx, d, r)
	})
	if err != nil {
		return 0, fmt.Errorf("mark gone %s: %w", url, err)
	}
	if !found {
		return 0, fmt.Errorf("mark gone %s: %w", url, ErrNotFound)
	}
	return outcome, nil
}

// clearGone clears gone_since of a record whose article was fetched again,
// moving its change sequence. Called inside the storing transaction,
// before the record is saved.
func clearGone(tx *bolt.Tx, d *doc, r *record.Record) error {
	if r.GoneSince == "" {
		return nil
	}
	r.GoneSince = ""
	seq, err := nextSeq(tx, metaChgSeq)
	if err != nil {
		return err
	}
	d.Seq = seq
	return nil
}
