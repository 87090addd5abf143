package archive

// The outbox: messages waiting for delivery, kept in the archive so that a
// restart neither loses nor repeats one. A Writer whose
// WriterOptions.Outbox is set enqueues a page's messages in the same
// transaction that stores the page: once a page is reported stored, its
// notifications are queued too.
//
// The archive does not interpret a message: it gives each the next outbox
// sequence number and stores the bytes its OutboxItem encodes for that
// number. Package notify owns the format and the delivery. One thing the
// archive does read: a message is a JSON object whose "record_id" member,
// when present, names the record whose text it carries, so that Redact
// drops it with the record's text.

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/parc-archiver/parc/archive/internal/queue"
	bolt "go.etcd.io/bbolt"
)

var bOutbox = queue.Bucket("outbox") // seq (8 bytes) -> message (a JSON object)

const metaOutboxSeq = "seq.outbox"

// OutboxItem is one message to queue.
type OutboxItem struct {
	// Encode returns the stored form of the message once its sequence
	// number is known: a JSON object, with "record_id" naming the record
	// whose text it carries, if any.
	Encode func(seq uint64) ([]byte, error)
}

// putOutbox appends items in tx, each under the next sequence number.
func putOutbox(tx *bolt.Tx, items []OutboxItem) error {
	for _, it := range items {
		seq, err := nextSeq(tx, metaOutboxSeq)
		if err != nil {
			return err
		}
		v, err := it.Encode(seq)
		if err != nil {
			return fmt.Errorf("outbox message %d: %w", seq, err)
		}
		if err := bOutbox.Put(tx, seq, v); err != nil {
			return err
		}
	}
	return nil
}

// attachOutbox makes o, a page op, also enqueue what hook returns for the
// stored page, in the same transaction.
func (a *Archive) attachOutbox(o *op, p Page, hook func(Page, Result) []OutboxItem) {
	inner := o.apply
	o.apply = func(tx *bolt.Tx) error {
		if err := inner(tx); err != nil {
			return err
		}
		if o.result == nil || o.result.Outcome == 0 {
			return nil // the page was not stored
		}
		return putOutbox(tx, hook(p, *o.result))
	}
}

// Enqueue adds messages to the outbox and returns once they are
// committed, in order with everything queued before.
func (a *Archive) Enqueue(ctx context.Context, items []OutboxItem) error {
	if len(items) == 0 {
		return nil
	}
	items = append([]OutboxItem(nil), items...)
	if err := a.do(ctx, func(tx *bolt.Tx) error { return putOutbox(tx, items) }); err != nil {
		return fmt.Errorf("enqueue: %w", err)
	}
	return nil
}

// OutboxAfter calls fn with up to limit messages (0: all) whose sequence
// number is above after, oldest first, from one read transaction; value
// is valid only during fn. An error from fn stops the scan and is
// returned.
func (a *Archive) OutboxAfter(ctx context.Context, after uint64, limit int, fn func(seq uint64, value []byte) error) error {
	err := a.view(ctx, func(tx *bolt.Tx) error {
		n := 0
		return bOutbox.Scan(tx, after, func(seq uint64, v []byte) error {
			if limit > 0 && n >= limit {
				return queue.ErrStop
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			n++
			return fn(seq, v)
		})
	})
	if err != nil {
		return fmt.Errorf("outbox of %s: %w", a.path, err)
	}
	return nil
}

// ReplaceOutbox stores value as message seq, if that message is still
// queued (a message delivered meanwhile stays gone); it returns once
// committed.
func (a *Archive) ReplaceOutbox(ctx context.Context, seq uint64, value []byte) error {
	value = append([]byte(nil), value...)
	if err := a.do(ctx, func(tx *bolt.Tx) error { return bOutbox.Replace(tx, seq, value) }); err != nil {
		return fmt.Errorf("outbox message %d: %w", seq, err)
	}
	return nil
}

// DeleteOutbox removes message seq (delivered, or given up); an unknown
// seq is not an error. It returns once committed.
func (a *Archive) DeleteOutbox(ctx context.Context, seq uint64) error {
	if err := a.do(ctx, func(tx *bolt.Tx) error { return bOutbox.Delete(tx, seq) }); err != nil {
		return fmt.Errorf("outbox message %d: %w", seq, err)
	}
	return nil
}

// OutboxLen is the number of messages waiting in the outbox.
func (a *Archive) OutboxLen(ctx context.Context) (int, error) {
	n := 0
	err := a.view(ctx, func(tx *bolt.Tx) error { n = bOutbox.Len(tx); return nil })
	return n, err
}

// dropOutbox deletes the queued messages that carry record id (Redact).
func dropOutbox(tx *bolt.Tx, id string) error {
	var drop []uint64
	err := bOutbox.Scan(tx, 0, func(seq uint64, v []byte) error {
		var m struct {
			RecordID string `json:"record_id"`
		}
		if json.Unmarshal(v, &m) == nil && m.RecordID == id {
			drop = append(drop, seq)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	return bOutbox.Delete(tx, drop...)
}
