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
	"encoding/binary"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/parc-archiver/parc/archive/internal/boltcopy"
)

var bOutbox = []byte("outbox") // seq (8 bytes) -> message (a JSON object)

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
	if len(items) == 0 {
		return nil
	}
	b, err := tx.CreateBucketIfNotExists(bOutbox)
	if err != nil {
		return fmt.Errorf("outbox bucket: %w", err)
	}
	for _, it := range items {
		seq, err := nextSeq(tx, metaOutboxSeq)
		if err != nil {
			return err
		}
		v, err := it.Encode(seq)
		if err != nil {
			return fmt.Errorf("outbox message %d: %w", seq, err)
		}
		if err := b.Put(u64(seq), v); err != nil {
			return fmt.Errorf("outbox message %d: %w", seq, err)
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
		b := tx.Bucket(bOutbox)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		n := 0
		for k, v := c.Seek(u64(after + 1)); k != nil && (limit <= 0 || n < limit); k, v = c.Next() {
			if err := ctx.Err(); err != nil {
				return err
			}
			if len(k) != 8 {
				return fmt.Errorf("outbox key %x: not a sequence number", k)
			}
			if err := fn(binary.BigEndian.Uint64(k), v); err != nil {
				return err
			}
			n++
		}
		return nil
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
	err := a.do(ctx, func(tx *bolt.Tx) error {
		b := tx.Bucket(bOutbox)
		if b == nil || b.Get(u64(seq)) == nil {
			return nil
		}
		return b.Put(u64(seq), value)
	})
	if err != nil {
		return fmt.Errorf("outbox message %d: %w", seq, err)
	}
	return nil
}

// DeleteOutbox removes message seq (delivered, or given up); an unknown
// seq is not an error. It returns once committed.
func (a *Archive) DeleteOutbox(ctx context.Context, seq uint64) error {
	err := a.do(ctx, func(tx *bolt.Tx) error {
		b := tx.Bucket(bOutbox)
		if b == nil {
			return nil
		}
		return b.Delete(u64(seq))
	})
	if err != nil {
		return fmt.Errorf("outbox message %d: %w", seq, err)
	}
	return nil
}

// OutboxLen is the number of messages waiting in the outbox.
func (a *Archive) OutboxLen(ctx context.Context) (int, error) {
	n := 0
	err := a.view(ctx, func(tx *bolt.Tx) error {
		if b := tx.Bucket(bOutbox); b != nil {
			n = b.Stats().KeyN
		}
		return nil
	})
	return n, err
}

// dropOutbox deletes the queued messages that carry record id (Redact).
func dropOutbox(tx *bolt.Tx, id string) error {
	b := tx.Bucket(bOutbox)
	if b == nil {
		return nil
	}
	c := b.Cursor()
	for k, v := c.First(); k != nil; {
		var m struct {
			RecordID string `json:"record_id"`
		}
		if json.Unmarshal(v, &m) != nil || m.RecordID != id {
			k, v = c.Next()
			continue
		}
		var err error
		if k, v, err = boltcopy.DeleteAt(c, k); err != nil {
			return fmt.Errorf("outbox: %w", err)
		}
	}
	return nil
}
