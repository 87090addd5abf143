package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Entry is one pending delivery of one event to one target. Its JSON form
// is what the outbox stores.
type Entry struct {
	// Seq identifies the entry in its outbox, oldest first; the outbox
	// assigns it when the entry is queued.
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
	// Created is when the entry was built.
	Created time.Time `json:"created"`
	// Attempts counts failed attempts so far; NextAttempt is the earliest
	// time of the next one (zero: now); LastError says why the last failed.
	Attempts    int       `json:"attempts"`
	NextAttempt time.Time `json:"next_attempt"`
	LastError   string    `json:"last_error,omitempty"`
}

// Encode returns the stored form of e queued as entry seq: a JSON object
// whose "record_id" names the record it carries (archive.OutboxItem's
// contract).
func (e Entry) Encode(seq uint64) ([]byte, error) {
	e.Seq = seq
	b, err := json.Marshal(e)
	if err != nil {
		return nil, fmt.Errorf("outbox entry %s: %w", e.EventID, err)
	}
	return b, nil
}

// decodeEntry reads the stored form of entry seq.
func decodeEntry(seq uint64, v []byte) (Entry, error) {
	var e Entry
	if err := json.Unmarshal(v, &e); err != nil {
		return Entry{}, fmt.Errorf("outbox entry %d: %w", seq, err)
	}
	e.Seq = seq
	return e, nil
}

// Outbox is where Deliver finds and settles entries.
type Outbox interface {
	// Pending returns up to limit entries (0: all) after sequence number
	// after whose NextAttempt is not after now, oldest first.
	Pending(ctx context.Context, now time.Time, after uint64, limit int) ([]Entry, error)
	// MarkDelivered removes entry seq; an unknown seq is not an error.
	MarkDelivered(ctx context.Context, seq uint64) error
	// MarkFailed stores e's new Attempts, NextAttempt and LastError, if
	// e is still queued.
	MarkFailed(ctx context.Context, e Entry) error
}

// Store keeps outbox entries durably as opaque values under increasing
// sequence numbers, committed in order with what raised them;
// *archive.Archive implements it.
type Store interface {
	OutboxAfter(ctx context.Context, after uint64, limit int, fn func(seq uint64, value []byte) error) error
	ReplaceOutbox(ctx context.Context, seq uint64, value []byte) error
	DeleteOutbox(ctx context.Context, seq uint64) error
}

// StoredOutbox is the Outbox kept in s.
func StoredOutbox(s Store) Outbox { return storedOutbox{s} }

type storedOutbox struct{ s Store }

// errFull stops a scan that has collected enough entries.
var errFull = errors.New("enough entries")

func (o storedOutbox) Pending(ctx context.Context, now time.Time, after uint64, limit int) ([]Entry, error) {
	var out []Entry
	err := o.s.OutboxAfter(ctx, after, 0, func(seq uint64, v []byte) error {
		e, err := decodeEntry(seq, v)
		if err != nil {
			return err
		}
		if e.NextAttempt.After(now) {
			return nil
		}
		out = append(out, e)
		if limit > 0 && len(out) >= limit {
			return errFull
		}
		return nil
	})
	if err != nil && !errors.Is(err, errFull) {
		return nil, err
	}
	return out, nil
}

func (o storedOutbox) MarkDelivered(ctx context.Context, seq uint64) error {
	return o.s.DeleteOutbox(ctx, seq)
}

func (o storedOutbox) MarkFailed(ctx context.Context, e Entry) error {
	e.NextAttempt = e.NextAttempt.UTC()
	v, err := e.Encode(e.Seq)
	if err != nil {
		return err
	}
	return o.s.ReplaceOutbox(ctx, e.Seq, v)
}

// memOutbox is an Outbox in memory, for SendNow.
type memOutbox struct{ entries []Entry }

func (m *memOutbox) Pending(_ context.Context, now time.Time, after uint64, limit int) ([]Entry, error) {
	var out []Entry
	for _, e := range m.entries {
		if e.Seq > after && !e.NextAttempt.After(now) && (limit <= 0 || len(out) < limit) {
			out = append(out, e)
		}
	}
	return out, nil
}

func (m *memOutbox) MarkDelivered(_ context.Context, seq uint64) error {
	for i, e := range m.entries {
		if e.Seq == seq {
			m.entries = append(m.entries[:i], m.entries[i+1:]...)
			break
		}
	}
	return nil
}

func (m *memOutbox) MarkFailed(context.Context, Entry) error { return nil }

// SendNow delivers ev to every webhook at once, with the usual attempts,
// without an outbox: for events raised when the archive cannot be opened
// (nothing to queue them in). What fails is lost.
func (n *Notifier) SendNow(ctx context.Context, ev Event) (Report, error) {
	entries, err := n.Build(ev)
	if err != nil || len(entries) == 0 {
		return Report{}, err
	}
	mem := &memOutbox{}
	for i, e := range entries {
		e.Seq = uint64(i + 1)
		mem.entries = append(mem.entries, e)
	}
	return n.Deliver(ctx, mem)
}
