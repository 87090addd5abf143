package archive

import (
	"context"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/parc-archiver/parc/archive/internal/responses"
	"github.com/parc-archiver/parc/record"
)

// SubmitResponse queues the raw capture c of a response that is no
// article page (archive.keep_raw: all) for the committer; it is dropped
// when the last one kept for its URL had the same status and payload
// (package responses). Captures exports them.
func (w *Writer) SubmitResponse(ctx context.Context, c *record.Capture) error {
	w.mu.RLock()
	defer w.mu.RUnlock()
	if w.closed {
		return ErrClosed
	}
	e, err := w.a.codec.Encode(c, w.a.opts.Now())
	if err != nil {
		return fmt.Errorf("capture of %s: %w", c.URL, err)
	}
	o := &op{size: int64(len(e.Value) + 1024), apply: func(tx *bolt.Tx) error {
		_, err := responses.Put(tx, e.ID, c.URL, c.Status, e.Digest, e.Value)
		return err
	}}
	if err := w.a.send(ctx, o); err != nil {
		return fmt.Errorf("submit capture %s: %w", c.URL, err)
	}
	return nil
}

// responses streams the captures of SubmitResponse, oldest first.
func (a *Archive) responses(ctx context.Context, records bool, fn func(c *record.Capture, id, digest string) error) error {
	return a.db.View(func(tx *bolt.Tx) error {
		a.prefetch(ctx, tx, responses.Bucket())
		return responses.Each(ctx, tx, func(id string, v []byte) error {
			c, digest, err := a.codec.Read(v, records)
			if err != nil {
				return fmt.Errorf("capture %s: %w", id, err)
			}
			return fn(c, id, digest)
		})
	})
}
