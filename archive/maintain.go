package archive

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/parc-archiver/parc/record"
	bolt "go.etcd.io/bbolt"
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
	err = a.db.View(func(src *bolt.Tx) error { return copyBuckets(ctx, dst, src, compactTxBytes) })
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

// compactTxBytes bounds the keys and values one transaction of the copy
// writes (bbolt's Compact takes the same bound).
const compactTxBytes = 64 << 20

// copyBuckets copies every bucket of src into the empty database dst, in
// key order with full pages, committing every maxTx bytes, as bbolt's
// Compact does; unlike it, it stops when ctx ends.
func copyBuckets(ctx context.Context, dst *bolt.DB, src *bolt.Tx, maxTx int64) error {
	cp := &bucketCopy{ctx: ctx, db: dst, max: maxTx}
	if err := cp.begin(); err != nil {
		return err
	}
	defer func() { cp.tx.Rollback() }()
	err := src.ForEach(func(name []byte, b *bolt.Bucket) error {
		return cp.bucket([][]byte{name}, b)
	})
	if err != nil {
		return err
	}
	return cp.tx.Commit()
}

// bucketCopy is the state of copyBuckets: the open write transaction and
// how much it wrote.
type bucketCopy struct {
	ctx  context.Context
	db   *bolt.DB
	tx   *bolt.Tx
	size int64
	max  int64
	n    int
}

func (c *bucketCopy) begin() error {
	tx, err := c.db.Begin(true)
	if err != nil {
		return err
	}
	c.tx, c.size = tx, 0
	return nil
}

// target returns the bucket at path in the current transaction, creating
// it (with seq) when create is set.
func (c *bucketCopy) target(path [][]byte, create bool, seq uint64) (*bolt.Bucket, error) {
	var b *bolt.Bucket
	for i, name := range path {
		var err error
		switch {
		case i == 0 && create && len(path) == 1:
			b, err = c.tx.CreateBucket(name)
		case i == 0:
			b = c.tx.Bucket(name)
		case create && i == len(path)-1:
			b, err = b.CreateBucket(name)
		default:
			b = b.Bucket(name)
		}
		if err != nil {
			return nil, err
		}
	}
	if create {
		return b, b.SetSequence(seq)
	}
	b.FillPercent = 1.0
	return b, nil
}

// bucket copies src, found at path, and everything in it.
func (c *bucketCopy) bucket(path [][]byte, src *bolt.Bucket) error {
	if err := c.ctx.Err(); err != nil {
		return err
	}
	if _, err := c.target(path, true, src.Sequence()); err != nil {
		return err
	}
	cur := src.Cursor()
	for k, v := cur.First(); k != nil; k, v = cur.Next() {
		if v == nil { // a nested bucket
			if err := c.bucket(append(path[:len(path):len(path)], k), src.Bucket(k)); err != nil {
				return err
			}
			continue
		}
		if err := c.put(path, k, v); err != nil {
			return err
		}
	}
	return nil
}

// put writes one key, first committing the transaction when it is full.
func (c *bucketCopy) put(path [][]byte, k, v []byte) error {
	if c.n++; c.n%1024 == 0 {
		if err := c.ctx.Err(); err != nil {
			return err
		}
	}
	if sz := int64(len(k) + len(v)); c.size+sz > c.max && c.size > 0 {
		if err := c.tx.Commit(); err != nil {
			return err
		}
		if err := c.begin(); err != nil {
			return err
		}
	}
	c.size += int64(len(k) + len(v))
	b, err := c.target(path, false, 0)
	if err != nil {
		return err
	}
	return b.Put(k, v)
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
		if err := tx.Bucket(bRecords).Put([]byte(id), rb); err != nil {
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
