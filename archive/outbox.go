package archive

// Outbox: notifications waiting for delivery.
//
// The outbox is a bucket of opaque deliveries (a target URL and the exact
// bytes to send) kept in the archive so that a restart neither loses nor
// repeats one. A Writer whose WriterOptions.Outbox is set enqueues a page's
// deliveries in the same transaction that stores the page: once a page is
// reported stored, its notification is queued too. The archive knows
// nothing of the payload; package notify builds and delivers it.

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

var bOutbox = []byte("outbox") // seq (8 bytes) -> OutboxEntry JSON

const metaOutboxSeq = "seq.outbox"

// OutboxEntry is one pending delivery of one event to one target.
type OutboxEntry struct {
	// Seq identifies the entry; set by the archive when enqueued, oldest
	// first.
	Seq uint64 `json:"seq"`
	// Target is where to deliver (a webhook URL).
	Target string `json:"target"`
	// EventID identifies the event (the same for every target), for
	// receivers that deduplicate.
	EventID string `json:"event_id"`
	// Event is the event's type, e.g. "article.new".
	Event string `json:"event"`
	// RecordID is the article the event carries, if any: redacting the
	// article drops its pending deliveries (they hold its text).
	RecordID string `json:"record_id,omitempty"`
	// Body is exactly what is sent, every attempt.
	Body []byte `json:"body"`
	// Created is when the entry was enqueued.
	Created time.Time `json:"created"`
	// Attempts counts failed attempts so far; NextAttempt is the earliest
	// time of the next one (zero: now); LastError says why the last failed.
	Attempts    int       `json:"attempts"`
	NextAttempt time.Time `json:"next_attempt"`
	LastError   string    `json:"last_error,omitempty"`
}

// putOutbox appends entries in tx, assigning their Seq.
func putOutbox(tx *bolt.Tx, now time.Time, entries []OutboxEntry) error {
	if len(entries) == 0 {
		return nil
	}
	b, err := tx.CreateBucketIfNotExists(bOutbox)
	if err != nil {
		return fmt.Errorf("outbox bucket: %w", err)
	}
	for i := range entries {
		e := entries[i]
		seq, err := nextSeq(tx, metaOutboxSeq)
		if err != nil {
			return err
		}
		e.Seq = seq
		if e.Created.IsZero() {
			e.Created = now.UTC()
		}
		v, err := json.Marshal(e)
		if err != nil {
			return fmt.Errorf("outbox entry %s: %w", e.EventID, err)
		}
		if err := b.Put(u64(seq), v); err != nil {
			return fmt.Errorf("outbox entry %s: %w", e.EventID, err)
		}
	}
	return nil
}

// attachOutbox makes o, a page op, also enqueue what hook returns for the
// stored page, in the same transaction.
func (a *Archive) attachOutbox(o *op, p Page, hook func(Page, Result) []OutboxEntry) {
	inner := o.apply
	o.apply = func(tx *bolt.Tx) error {
		if err := inner(tx); err != nil {
			return err
		}
		if o.result == nil || o.result.Outcome == 0 {
			return nil // the page was not stored
		}
		return putOutbox(tx, a.opts.Now(), hook(p, *o.result))
	}
}

// Enqueue adds deliveries to the outbox (their Seq is assigned) and
// returns once they are committed, in order with everything queued before.
func (a *Archive) Enqueue(ctx context.Context, entries []OutboxEntry) error {
	if len(entries) == 0 {
		return nil
	}
	entries = append([]OutboxEntry(nil), entries...)
	if err := a.do(ctx, func(tx *bolt.Tx) error { return putOutbox(tx, a.opts.Now(), entries) }); err != nil {
		return fmt.Errorf("enqueue: %w", err)
	}
	return nil
}

// Pending returns up to limit outbox entries (0: all) after sequence number
// after whose NextAttempt is not after now, oldest first.
func (a *Archive) Pending(ctx context.Context, now time.Time, after uint64, limit int) ([]OutboxEntry, error) {
	var out []OutboxEntry
	err := a.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bOutbox)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		for k, v := c.Seek(u64(after + 1)); k != nil; k, v = c.Next() {
			if err := ctx.Err(); err != nil {
				return err
			}
			var e OutboxEntry
			if err := json.Unmarshal(v, &e); err != nil {
				return fmt.Errorf("outbox entry %x: %w", k, err)
			}
			if e.NextAttempt.After(now) {
				continue
			}
			out = append(out, e)
			if limit > 0 && len(out) >= limit {
				break
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("outbox of %s: %w", a.path, err)
	}
	return out, nil
}

// OutboxLen is the number of entries waiting in the outbox.
func (a *Archive) OutboxLen(ctx context.Context) (int, error) {
	n := 0
	err := a.db.View(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bOutbox); b != nil {
			n = b.Stats().KeyN
		}
		return nil
	})
	return n, err
}

// MarkDelivered removes a delivered entry from the outbox; it returns once
// committed. An unknown seq is not an error (already removed).
func (a *Archive) MarkDelivered(ctx context.Context, seq uint64) error {
	err := a.do(ctx, func(tx *bolt.Tx) error {
		b := tx.Bucket(bOutbox)
		if b == nil {
			return nil
		}
		return b.Delete(u64(seq))
	})
	if err != nil {
		return fmt.Errorf("outbox entry %d delivered: %w", seq, err)
	}
	return nil
}

// MarkFailed records a failed attempt of entry seq: its attempt count,
// the earliest time of the next attempt and the error.
func (a *Archive) MarkFailed(ctx context.Context, seq uint64, attempts int, next time.Time, lastErr string) error {
	err := a.do(ctx, func(tx *bolt.Tx) error {
		b := tx.Bucket(bOutbox)
		if b == nil {
			return nil
		}
		v := b.Get(u64(seq))
		if v == nil {
			return nil // delivered meanwhile
		}
		var e OutboxEntry
		if err := json.Unmarshal(v, &e); err != nil {
			return err
		}
		e.Attempts, e.NextAttempt, e.LastError = attempts, next.UTC(), lastErr
		nv, err := json.Marshal(e)
		if err != nil {
			return err
		}
		return b.Put(u64(seq), nv)
	})
	if err != nil {
		return fmt.Errorf("outbox entry %d failed: %w", seq, err)
	}
	return nil
}

// dropOutbox deletes the pending deliveries that carry record id (Redact).
func dropOutbox(tx *bolt.Tx, id string) error {
	b := tx.Bucket(bOutbox)
	if b == nil {
		return nil
	}
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		var e struct {
			RecordID string `json:"record_id"`
		}
		if json.Unmarshal(v, &e) == nil && e.RecordID == id {
			if err := c.Delete(); err != nil {
				return fmt.Errorf("outbox: %w", err)
			}
		}
	}
	return nil
}
