package archive

import (
	"context"
	"errors"
	"fmt"
	"os"

	bolt "go.etcd.io/bbolt"

	"github.com/parc-archiver/parc/archive/internal/boltcopy"
	"github.com/parc-archiver/parc/archive/internal/responses"
	"github.com/parc-archiver/parc/record"
)

// Compact writes a compacted copy of the archive to dstPath, which must
// not exist or be an empty regular file (one os.CreateTemp made, so that
// no fixed name a link could redirect is used). Writes may go on meanwhile; the copy holds what was committed
// when each part was copied, so compact an archive nobody writes to (parc
// holds the lock) and swap the files afterwards. When ctx ends, Compact
// stops and removes the partial copy.
func (a *Archive) Compact(ctx context.Context, dstPath string) error {
	if fi, err := os.Lstat(dstPath); err == nil && (!fi.Mode().IsRegular() || fi.Size() != 0) {
		return fmt.Errorf("compact to %s: %w", dstPath, os.ErrExist)
	}
	dst, err := bolt.Open(dstPath, 0o600, &bolt.Options{Timeout: a.opts.LockTimeout + 1, NoSync: true})
	if err != nil {
		return fmt.Errorf("compact to %s: %w", dstPath, err)
	}
	recode := a.codec.RecodeIn(bCaptures, responses.Bucket()) // older captures become their WARC records
	err = a.db.View(func(src *bolt.Tx) error { return boltcopy.Buckets(ctx, dst, src, boltcopy.TxBytes, recode) })
	if err == nil {
		err = dst.Sync()
	}
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(dstPath)
		return fmt.Errorf("compact %s to %s: %w", a.path, dstPath, err)
	}
	return nil
}

// Redact removes a record's text, earlier revisions and raw captures,
// keeping a tombstone with reason and time, its id and its URLs (so that
// the article is recognised and not stored again). Redacted records are
// left out of exports.
func (a *Archive) Redact(ctx context.Context, id, reason string) error {
	now := utc(a.opts.Now())
	err := a.do(ctx, func(tx *bolt.Tx) error {
		d, r, err := loadDoc(tx, id)
		if err != nil {
			if tx.Bucket(bDocs).Get([]byte(id)) == nil {
				return fmt.Errorf("%s: %w", id, ErrNotFound)
			}
			return err
		}
		caps, revs := tx.Bucket(bCaptures), tx.Bucket(bRevisions)
		for i := range d.Revs {
			rv := &d.Revs[i]
			for _, cid := range append([]string{rv.CaptureID}, refIDs(rv.Refetches)...) {
				if cid != "" {
					if err := caps.Delete([]byte(cid)); err != nil {
						return err
					}
				}
			}
			if err := a.dropHash(tx, d, rv.ContentHash); err != nil {
				return err
			}
			if err := revs.Delete(revKey(id, rv.Revision)); err != nil {
				return err
			}

			*rv = Revision{Revision: rv.Revision, Seq: rv.Seq, FetchedAt: rv.FetchedAt}
		}
		if err := a.deleteSim(tx, d); err != nil {
			return err
		}
		if err := dropOutbox(tx, id); err != nil {
			return err
		}
		if err := tx.Bucket(bOrder).Delete(u64(d.Order)); err != nil {
			return err
		}
		d.Redacted = &Tombstone{Reason: reason, At: now}
		t := record.Record{ID: id, URL: r.URL, URLs: r.URLs, FirstSeen: r.FirstSeen, LastSeen: r.LastSeen,
			Revision: r.Revision, Portal: r.Portal, Tags: []string{}, Images: nil}
		rb, err := jsonMarshal(t)
		if err != nil {
			return err
		}
		db, err := jsonMarshal(d)
		if err != nil {
			return err
		}
		if err := putRecord(tx, id, rb); err != nil {
			return err
		}
		return tx.Bucket(bDocs).Put([]byte(id), db)
	})
	if err != nil {
		return fmt.Errorf("redact %s: %w", id, err)
	}
	return nil
}

// RetainCaptures deletes the raw captures of unchanged refetches except
// the first and the last capture of each revision, and returns how many it
// deleted.
func (a *Archive) RetainCaptures(ctx context.Context) (int, error) {
	removed := 0
	err := a.do(ctx, func(tx *bolt.Tx) error {
		removed = 0
		docs, caps := tx.Bucket(bDocs), tx.Bucket(bCaptures)
		var ids []string
		if err := docs.ForEach(func(k, _ []byte) error {
			ids = append(ids, string(k))
			return nil
		}); err != nil {
			return err
		}
		for _, id := range ids {
			if err := ctx.Err(); err != nil {
				return err
			}
			d, err := loadDocOnly(tx, id)
			if err != nil {
				return err
			}
			changed := false
			for i := range d.Revs {
				rv := &d.Revs[i]
				first := 0 // index in Refetches of the first capture when the revision has none
				if rv.CaptureID == "" {
					first = 1
				}
				if len(rv.Refetches) <= first+1 {
					continue
				}
				last := rv.Refetches[len(rv.Refetches)-1]
				for _, ref := range rv.Refetches[first : len(rv.Refetches)-1] {
					if err := caps.Delete([]byte(ref.ID)); err != nil {
						return err
					}
					removed++
				}
				rv.Refetches = append(rv.Refetches[:first], last)
				changed = true
			}
			if changed {
				b, err := jsonMarshal(d)
				if err != nil {
					return err
				}
				if err := docs.Put([]byte(id), b); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil && !errors.Is(err, context.Canceled) {
		return 0, fmt.Errorf("retain captures: %w", err)
	}
	return removed, err
}
