package archive

// The print queue: the new records a writer with WriterOptions.PrintQueue
// stored and its caller has not yet printed, for parc's at-least-once
// --print-new. An entry holds only the record's id, so a redacted record
// holds no text here, and what is printed is the record as it is when
// printed.

import (
	"bytes"
	"context"
	"fmt"

	"github.com/parc-archiver/parc/archive/internal/queue"
	bolt "go.etcd.io/bbolt"
)

var bPrint = queue.Bucket("printq") // seq (8 bytes, the bucket's sequence) -> record id

// Unprinted is one queued record: Record is its current JSON, nil when
// the record was redacted or is gone (mark it printed all the same).
type Unprinted struct {
	Seq    uint64
	Record []byte
}

// attachPrint makes o, a page op, also queue the record it stored as new.
func attachPrint(o *op) {
	inner := o.apply
	o.apply = func(tx *bolt.Tx) error {
		if err := inner(tx); err != nil || o.result == nil || o.result.Outcome != OutcomeNew {
			return err
		}
		return bPrint.Append(tx, []byte(o.result.ID))
	}
}

// Unprinted returns up to limit queued records (0: all) whose sequence
// number is above after, oldest first, from one read transaction.
func (a *Archive) Unprinted(ctx context.Context, after uint64, limit int) ([]Unprinted, error) {
	var out []Unprinted
	err := a.view(ctx, func(tx *bolt.Tx) error {
		return bPrint.Scan(tx, after, func(seq uint64, id []byte) error {
			u := Unprinted{Seq: seq}
			if d, err := loadDocOnly(tx, string(id)); err == nil && d.Redacted == nil {
				js, err := openStored(tx.Bucket(bRecords).Get(id))
				if err != nil {
					return fmt.Errorf("record %s: %w", id, err)
				}
				u.Record = bytes.Clone(js)
			}
			if out = append(out, u); limit > 0 && len(out) >= limit {
				return queue.ErrStop
			}
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("print queue of %s: %w", a.path, err)
	}
	return out, nil
}

// MarkPrinted queues the removal of the entries seqs; it is committed with
// the next batch (or at Close), without waiting for it.
func (a *Archive) MarkPrinted(ctx context.Context, seqs []uint64) error {
	seqs = append([]uint64(nil), seqs...)
	return a.send(ctx, &op{apply: func(tx *bolt.Tx) error { return bPrint.Delete(tx, seqs...) }})
}
