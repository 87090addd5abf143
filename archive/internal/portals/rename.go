package portals

import (
	"bytes"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/parc-archiver/parc/archive/internal/checksum"
	"github.com/parc-archiver/parc/record"
)

// Renaming is a rename in progress: the registry entry moved from Old to
// New; the records (and their revisions) with ids up to After carry New.
type Renaming struct {
	Old   string `json:"old"`
	New   string `json:"new"`
	After string `json:"after,omitempty"`
}

// InProgress returns the rename in progress in tx, nil when none.
func InProgress(tx *bolt.Tx, meta []byte) (*Renaming, error) {
	v := tx.Bucket(meta).Get([]byte(metaRename))
	if v == nil {
		return nil, nil
	}
	var r Renaming
	if err := json.Unmarshal(v, &r); err != nil {
		return nil, fmt.Errorf("portal rename in progress: %w", err)
	}
	return &r, nil
}

func putRenaming(tx *bolt.Tx, meta []byte, r *Renaming) error {
	v, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return tx.Bucket(meta).Put([]byte(metaRename), v)
}

// CanRename reports why old cannot be renamed to new in tx, if it
// cannot: a bad new name, old unknown, new taken, another rename in
// progress (ErrBusy). The same rename in progress can: it goes on.
func CanRename(tx *bolt.Tx, meta []byte, old, new string) error {
	if err := CheckName(new); err != nil {
		return err
	}
	cur, err := InProgress(tx, meta)
	if err != nil || cur != nil && cur.Old == old && cur.New == new {
		return err
	}
	if cur != nil {
		return fmt.Errorf("%w (%q to %q)", ErrBusy, cur.Old, cur.New)
	}
	if _, ok, err := Get(tx, old); err != nil || !ok {
		if err == nil {
			err = fmt.Errorf("%w: %q", ErrUnknown, old)
		}
		return err
	}
	if _, ok, err := Get(tx, new); err != nil || ok {
		if err == nil {
			err = fmt.Errorf("%w: %q", ErrExists, new)
		}
		return err
	}
	return nil
}

// StartRename moves old's registry entry to new and notes the rename in
// progress (CanRename says when it cannot). Rerun while that same rename
// is in progress it does nothing: the caller goes on with the chunks.
func StartRename(tx *bolt.Tx, meta []byte, old, new string) error {
	if err := CanRename(tx, meta, old, new); err != nil {
		return err
	}
	if cur, err := InProgress(tx, meta); err != nil || cur != nil {
		return err
	}
	e, _, err := Get(tx, old)
	if err != nil {
		return err
	}
	if err := tx.Bucket(Bucket).Delete(key(old)); err != nil {
		return err
	}
	if err := Put(tx, new, e); err != nil {
		return err
	}
	return putRenaming(tx, meta, &Renaming{Old: old, New: new})
}

// Stores names the archive's buckets: records (id -> framed record JSON)
// and revisions (id + revision, 4 bytes -> framed record JSON), which
// RenameChunk rewrites; the records' states (id -> doc JSON), the order
// index (package orderhead) and the content-hash index, which Migrate
// moves records of a second portal in.
type Stores struct {
	Meta, Records, Revisions, Docs, Order, Hashes, URLs []byte
}

// RenameChunk rewrites the "portal" field of the next max records after
// the rename's position whose portal is the old name, and of their
// stored revisions, then moves the position; done reports that no record
// remains, the rename's note then removed. One chunk is one transaction's
// work: memory stays flat whatever the archive's size, and a chunk
// repeated after a crash finds nothing left to change in it.
func RenameChunk(tx *bolt.Tx, s Stores, max int) (done bool, err error) {
	r, err := InProgress(tx, s.Meta)
	if err != nil || r == nil {
		return true, err
	}
	recs := tx.Bucket(s.Records)
	var ids [][]byte
	c := recs.Cursor()
	k, _ := c.First()
	if r.After != "" {
		if k, _ = c.Seek([]byte(r.After)); k != nil && string(k) == r.After {
			k, _ = c.Next()
		}
	}
	for ; k != nil && len(ids) < max; k, _ = c.Next() {
		ids = append(ids, bytes.Clone(k))
	}
	for _, id := range ids {
		changed, err := rewrite(recs, id, r)
		if err != nil {
			return false, err
		}
		if changed {
			if err := rewriteRevisions(tx.Bucket(s.Revisions), id, r); err != nil {
				return false, err
			}
		}
	}
	if len(ids) < max {
		return true, tx.Bucket(s.Meta).Delete([]byte(metaRename))
	}
	r.After = string(ids[len(ids)-1])
	return false, putRenaming(tx, s.Meta, r)
}

// rewriteRevisions rewrites the stored revisions of record id.
func rewriteRevisions(b *bolt.Bucket, id []byte, r *Renaming) error {
	var keys [][]byte
	c := b.Cursor()
	for k, _ := c.Seek(id); k != nil && len(k) == len(id)+4 && bytes.HasPrefix(k, id); k, _ = c.Next() {
		keys = append(keys, bytes.Clone(k))
	}
	for _, k := range keys {
		if _, err := rewrite(b, k, r); err != nil {
			return err
		}
	}
	return nil
}

// rewrite gives the record stored under k in b the new portal name when
// it carries the old one.
func rewrite(b *bolt.Bucket, k []byte, r *Renaming) (bool, error) {
	js, err := checksum.Open(b.Get(k))
	if err != nil {
		return false, fmt.Errorf("record %x: %w", k, err)
	}
	var rec record.Record
	if err := json.Unmarshal(js, &rec); err != nil {
		return false, fmt.Errorf("record %x: %w", k, err)
	}
	if rec.Portal != r.Old {
		return false, nil
	}
	rec.Portal = r.New
	js, err = json.Marshal(&rec)
	if err != nil {
		return false, err
	}
	return true, b.Put(k, checksum.Frame(js))
}
