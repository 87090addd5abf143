package archive

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/parc-archiver/parc/archive/internal/identity"
	"github.com/parc-archiver/parc/archive/internal/orderhead"
	"github.com/parc-archiver/parc/archive/internal/portals"
	"github.com/parc-archiver/parc/archive/internal/prefetch"
	"github.com/parc-archiver/parc/record"
	bolt "go.etcd.io/bbolt"
)

// Filter selects records to export.
type Filter struct {
	Since, Until time.Time // on published, both inclusive; zero means unbounded. A bound excludes records without a date.
	Category     string    // compared without letter case
	AllRevisions bool      // every stored revision, not just the current one
	// SinceLast names an export cursor: only records new or with a new
	// revision since the last completed export under that name (see
	// CurrentSeq and CommitCursor).
	SinceLast         string
	AfterSeq, UpToSeq uint64 // only records whose change sequence is in (AfterSeq, UpToSeq]; UpToSeq 0: unbounded
	// Portals selects the records of these portals; empty: every portal.
	// With SinceLast, the cursor is the one of that name and this set of
	// portals (CursorName).
	Portals     []string
	WARCRecords bool // Captures gives a capture stored as its WARC records as them alone (c.WARC; digest "")
}

// CursorName is the name under which the export cursor SinceLast is
// kept: SinceLast itself when no portal is selected, else SinceLast and
// the sorted set of portals, so that an export of some portals and one of
// all under the same name keep their own cursors. Read and commit the
// cursor of a filtered export under this name (Cursor, CommitCursor).
func (f Filter) CursorName() string {
	if f.SinceLast == "" || len(f.Portals) == 0 {
		return f.SinceLast
	}
	set := slices.Clone(f.Portals)
	slices.Sort(set)
	return f.SinceLast + "\x00" + strings.Join(slices.Compact(set), "\x00")
}

// Records streams the stored records that match f, oldest first. raw is the
// record's stored JSON encoding (json.Marshal of record.Record); it is valid only
// during fn. With AllRevisions, each record's revisions come oldest first,
// each as a full record.Record with its own revision number; with SinceLast too,
// only the revisions created after the cursor. Redacted records are left out.
//
// Records reads one consistent snapshot; a long export delays a writer
// that needs to grow the file until it ends.
func (a *Archive) Records(ctx context.Context, f Filter, fn func(raw []byte) error) error {
	need := [][]byte{bOrder, bRecords}
	if f.AllRevisions {
		need = append(need, bDocs, bRevisions)
	}
	var recs *bolt.Bucket // opened once: opening one may copy its header (bbolt, unaligned)
	return a.scan(ctx, f, need, func(tx *bolt.Tx, h orderhead.Head, cursor uint64) error {
		if recs == nil {
			recs = tx.Bucket(bRecords)
		}
		if f.AllRevisions {
			d, err := loadDocOnly(tx, h.ID)
			if err != nil {
				return err
			}
			for _, rv := range d.Revs[:len(d.Revs)-1] {
				if f.SinceLast != "" && rv.Seq <= cursor {
					continue
				}
				raw := tx.Bucket(bRevisions).Get(revKey(h.ID, rv.Revision))
				if raw == nil {
					return fmt.Errorf("record %s: revision %d missing", h.ID, rv.Revision)
				}
				raw, err := openStored(raw)
				if err != nil {
					return fmt.Errorf("record %s revision %d: %w", h.ID, rv.Revision, err)
				}
				if err := fn(raw); err != nil {
					return err
				}
			}
		}
		raw := recs.Get([]byte(h.ID))
		if raw == nil {
			return fmt.Errorf("record %s: missing", h.ID)
		}
		raw, err := openStored(raw)
		if err != nil {
			return fmt.Errorf("record %s: %w", h.ID, err)
		}
		return fn(raw)
	})
}

// Captures streams the stored raw captures of the records that match f,
// then, when f selects every record (no Since, Until, Category, Portals
// or SinceLast), the captures of the other responses (archive.keep_raw:
// all; wire.go).
// id is the capture's WARC-Record-ID ("<urn:uuid:…>"), digest its payload
// digest ("sha1:BASE32"). c is valid only during fn. Without AllRevisions,
// only the captures of each record's current revision (its own and those of
// later unchanged refetches) are streamed; each capture comes once.
func (a *Archive) Captures(ctx context.Context, f Filter, fn func(c *record.Capture, id, digest string) error) error {
	if err := a.articleCaptures(ctx, f, fn); err != nil {
		return err
	}
	if !f.Since.IsZero() || !f.Until.IsZero() || f.Category != "" || f.SinceLast != "" || len(f.Portals) > 0 {
		return nil // the other responses belong to no record, nor to one portal
	}
	return a.responses(ctx, f.WARCRecords, fn)
}

func (a *Archive) articleCaptures(ctx context.Context, f Filter, fn func(c *record.Capture, id, digest string) error) error {
	return a.scan(ctx, f, [][]byte{bOrder, bDocs, bCaptures}, func(tx *bolt.Tx, h orderhead.Head, cursor uint64) error {
		d, err := loadDocOnly(tx, h.ID)
		if err != nil {
			return err
		}
		revs := d.Revs
		if !f.AllRevisions {
			revs = revs[len(revs)-1:]
		}
		seen := map[string]bool{}
		cb := tx.Bucket(bCaptures)
		for _, rv := range revs {
			if f.AllRevisions && f.SinceLast != "" && rv.Seq <= cursor {
				continue
			}
			ids := []string{rv.CaptureID}
			for _, ref := range rv.Refetches {
				ids = append(ids, ref.ID)
			}
			for _, cid := range ids {
				if cid == "" || seen[cid] {
					continue
				}
				seen[cid] = true
				v := cb.Get([]byte(cid))
				if v == nil {
					continue // removed by retention or redaction
				}
				c, digest, err := a.codec.Read(v, f.WARCRecords)
				if err != nil {
					return fmt.Errorf("capture %s of record %s: %w", cid, h.ID, err)
				}
				if err := fn(c, cid, digest); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// scan calls fn for each record head matching f, oldest first, after
// reading the pages of the buckets fn needs into the page cache in file
// order (prefetch.go).
func (a *Archive) scan(ctx context.Context, f Filter, need [][]byte, fn func(tx *bolt.Tx, h orderhead.Head, cursor uint64) error) error {
	return a.db.View(func(tx *bolt.Tx) error {
		a.prefetch(ctx, tx, need...)
		var cursor uint64
		if f.SinceLast != "" {
			cursor = getU64(tx.Bucket(bMeta), prefixCursor+f.CursorName())
		}
		var nums []uint32
		if len(f.Portals) > 0 {
			var err error
			if nums, err = portals.Nums(tx, f.Portals); err != nil {
				return err
			}
		}
		c := tx.Bucket(bOrder).Cursor()
		n := 0
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if n++; n%256 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			h, err := orderhead.Decode(v)
			if err != nil {
				return fmt.Errorf("order index: %w", err)
			}
			if (f.SinceLast != "" && h.Seq <= cursor) || (f.AfterSeq > 0 && h.Seq <= f.AfterSeq) || (f.UpToSeq > 0 && h.Seq > f.UpToSeq) {
				continue
			}
			if nums != nil && !slices.Contains(nums, h.Portal) {
				continue
			}
			if f.Category != "" && !strings.EqualFold(f.Category, h.Category) {
				continue
			}
			if !f.Since.IsZero() && (!h.HasPub || h.Pub < f.Since.Unix()) {
				continue
			}
			if !f.Until.IsZero() && (!h.HasPub || h.Pub > f.Until.Unix()) {
				continue
			}
			if err := fn(tx, h, cursor); err != nil {
				return err
			}
		}
		return ctx.Err()
	})
}

func loadDocOnly(tx *bolt.Tx, id string) (*doc, error) {
	v := tx.Bucket(bDocs).Get([]byte(id))
	if v == nil {
		return nil, fmt.Errorf("record %s: state missing", id)
	}
	var d doc
	if err := json.Unmarshal(v, &d); err != nil {
		return nil, fmt.Errorf("record %s: decode state: %w", id, err)
	}
	if len(d.Revs) == 0 {
		return nil, fmt.Errorf("record %s: no revisions", id)
	}
	return &d, nil
}

// CurrentSeq returns the archive's change sequence: it grows with every new
// record and new revision. An exporter reads it before Records and commits
// it with CommitCursor once the export completed (a change that lands in
// between is exported again next time, never lost).
func (a *Archive) CurrentSeq(ctx context.Context) (uint64, error) {
	var seq uint64
	err := a.view(ctx, func(tx *bolt.Tx) error {
		seq = getU64(tx.Bucket(bMeta), metaChgSeq)
		return nil
	})
	return seq, err
}

// Identity returns the archive's identity (package identity): random,
// kept by Backup and Compact, so that change sequences compare only
// between archives of one identity; "" for an archive made before
// identities and only read since.
func (a *Archive) Identity(ctx context.Context) (string, error) {
	var id string
	err := a.view(ctx, func(tx *bolt.Tx) error {
		id = identity.Of(tx.Bucket(bMeta))
		return nil
	})
	return id, err
}

// Cursor returns the sequence last committed under name (0 when none).
func (a *Archive) Cursor(ctx context.Context, name string) (uint64, error) {
	var seq uint64
	err := a.view(ctx, func(tx *bolt.Tx) error {
		seq = getU64(tx.Bucket(bMeta), prefixCursor+name)
		return nil
	})
	return seq, err
}

// CommitCursor advances the export cursor name to seq (it never moves
// back). It needs an archive opened read-write.
func (a *Archive) CommitCursor(ctx context.Context, name string, seq uint64) error {
	if name == "" {
		return fmt.Errorf("commit cursor: empty name")
	}
	return a.do(ctx, func(tx *bolt.Tx) error {
		m := tx.Bucket(bMeta)
		if seq <= getU64(m, prefixCursor+name) {
			return nil
		}
		return m.Put([]byte(prefixCursor+name), u64(seq))
	})
}

// prefetch reads the pages of the named buckets' trees into the page
// cache before an export walks them (package prefetch).
func (a *Archive) prefetch(ctx context.Context, tx *bolt.Tx, buckets ...[]byte) {
	var roots []uint64
	for _, name := range buckets {
		if b := tx.Bucket(name); b != nil {
			roots = append(roots, uint64(b.Root()))
		}
	}
	prefetch.Trees(ctx, a.path, tx.DB().Info().PageSize, roots)
}
