package archive

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/parc-archiver/parc/internal/canon"
)

// op is one queued write. apply runs inside the batch's write transaction;
// an error from it aborts the transaction (the committer then retries the
// batch's ops one by one so that one bad op does not sink the others).
// Errors that concern only the op are kept in the op's closure instead.
type op struct {
	apply func(tx *bolt.Tx) error
	// after runs on the committer goroutine once the transaction that
	// included the op committed (err nil) or failed.
	after func(err error)
	flush bool       // commit right after this op
	done  chan error // receives the commit result, if non-nil
	// result is what a page op stored, once applied (see attachOutbox).
	result *Result
	// frontierKey, on a page op a Writer submitted, names the frontier
	// entry of the page: when the op fails it is marked unstored, so that
	// the frontier's Done for it, committed after the op, books the page
	// as failed (kept for the next run) instead of done. A page is done
	// only when what it produced is committed.
	frontierKey string
	// size estimates the memory the op holds until committed (see
	// Options.BatchBytes); held is what send took from the budget.
	size, held int64
}

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }

// send queues o for the committer, blocking while the queue is full.
func (a *Archive) send(ctx context.Context, o *op) error {
	if a.ops == nil {
		return ErrReadOnly
	}
	if o.size > 0 {
		o.held = min(o.size, 2*a.opts.BatchBytes)
		if err := a.queued.Acquire(ctx, o.held); err != nil {
			return err
		}
	}
	a.mu.RLock()
	defer a.mu.RUnlock()
	if a.closed {
		a.release(o)
		return ErrClosed
	}
	select {
	case a.ops <- o:
		return nil
	case <-ctx.Done():
		a.release(o)
		return ctx.Err()
	}
}

// release returns what o held of the queue budget.
func (a *Archive) release(o *op) {
	if o.held > 0 {
		a.queued.Release(o.held)
		o.held = 0
	}
}

// do runs fn in the committer's next transaction (committed at once, in
// FIFO order with everything queued before) and returns its error or the
// commit's.
func (a *Archive) do(ctx context.Context, fn func(tx *bolt.Tx) error) error {
	var fnErr error
	o := &op{
		apply: func(tx *bolt.Tx) error { fnErr = fn(tx); return fnErr },
		flush: true,
		done:  make(chan error, 1),
	}
	if err := a.send(ctx, o); err != nil {
		return err
	}
	// Once queued the op is committed even if ctx ends: wait for it so
	// that the caller knows what happened.
	return <-o.done
}

func (a *Archive) commitLoop() {
	defer close(a.stopped)
	var (
		batch []*op
		bytes int64
	)
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		var tc <-chan time.Time
		if len(batch) > 0 {
			tc = timer.C
		}
		select {
		case o, ok := <-a.ops:
			if !ok {
				a.commit(batch)
				return
			}
			if len(batch) == 0 {
				timer.Reset(a.opts.BatchDelay)
			}
			batch = append(batch, o)
			bytes += o.size
			if o.flush || len(batch) >= a.opts.BatchSize || bytes >= a.opts.BatchBytes {
				timer.Stop()
				a.commit(batch)
				clear(batch)
				batch, bytes = batch[:0], 0
			}
		case <-tc:
			a.commit(batch)
			clear(batch)
			batch, bytes = batch[:0], 0
		}
	}
}

// commit applies batch in as few transactions as the node bound allows
// (maxTxNodes), in order. When a transaction fails, each of its ops is
// retried in its own transaction so that only the culprit fails. Then,
// when the index tail is due, it is merged (after the batch's results
// were reported).
func (a *Archive) commit(batch []*op) {
	for len(batch) > 0 {
		batch = batch[a.commitPrefix(batch):]
	}
	if a.tail.Due(a.tailMax) {
		if err := a.mergeTail(); err != nil {
			a.log.Warn("index merge failed; retrying after the next commit", "err", err)
		}
	}
}

// commitPrefix commits ops from the start of batch in one transaction,
// stopping early once the transaction holds maxTxNodes nodes; it returns
// how many ops it dealt with (at least one).
func (a *Archive) commitPrefix(batch []*op) int {
	tried := 0
	a.txns.Add(1)
	err := a.db.Update(func(tx *bolt.Tx) error {
		for _, o := range batch {
			if st := tx.Stats(); tried > 0 && st.GetNodeCount() >= a.txNodes {
				break
			}
			tried++
			if err := o.apply(tx); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		a.tail.Rollback()
	} else {
		a.tail.Commit()
	}
	done := batch[:tried]
	if err != nil && len(done) > 1 {
		a.log.Warn("batch commit failed, retrying one by one", "ops", len(done), "err", err)
		for _, o := range done {
			a.commitPrefix([]*op{o})
		}
		return tried
	}
	if err != nil {
		err = fmt.Errorf("commit to %s: %w", a.path, err)
		a.setErr(err)
	}
	for _, o := range done {
		if o.after != nil {
			o.after(err)
		}
		a.release(o)
		if o.done != nil {
			o.done <- err
		}
	}
	return tried
}

func (a *Archive) setErr(err error) {
	a.errMu.Lock()
	if a.lastErr == nil {
		a.lastErr = err
	}
	a.errMu.Unlock()
}

func (a *Archive) takeErr() error {
	a.errMu.Lock()
	defer a.errMu.Unlock()
	err := a.lastErr
	a.lastErr = nil
	return err
}

// Flush commits everything queued so far (by any writer, frontier or
// ReviseFromCapture) and returns the first commit error since the
// previous Flush.
func (a *Archive) Flush(ctx context.Context) error {
	if err := a.do(ctx, func(*bolt.Tx) error { return nil }); err != nil {
		return err
	}
	return a.takeErr()
}

// WriterOptions configures a Writer.
type WriterOptions struct {
	// OnResult is called once per submitted page, in submission order, on
	// the archive's committer goroutine, only after the transaction that
	// stored the page committed (err nil) or failed. It must be quick and
	// must not call Submit, Flush or Close.
	OnResult func(p Page, r Result, err error)
	// Outbox, when set, is called inside the transaction that stored a
	// page (any outcome); the messages it returns are enqueued in that same
	// transaction (see Enqueue). It must be quick and touch nothing else.
	Outbox func(p Page, r Result) []OutboxItem
	// PrintQueue, when set, queues every page stored as a new record in the
	// print queue, in the transaction that stored it (see Unprinted).
	PrintQueue bool
}

// Writer queues pages for the archive's committer, which stores them in
// batches of Options.BatchSize or every Options.BatchDelay, whichever
// comes first, each batch in one transaction. It is safe for concurrent use.
type Writer struct {
	a      *Archive
	opts   WriterOptions
	mu     sync.RWMutex
	closed bool
}

// NewWriter returns a Writer; several may share one archive.
func (a *Archive) NewWriter(opts WriterOptions) *Writer {
	return &Writer{a: a, opts: opts}
}

// Submit queues p. It blocks while the queue is full (back-pressure) or
// until ctx ends. The page is stored when OnResult reports it, or once
// Flush returns.
func (w *Writer) Submit(ctx context.Context, p Page) error {
	w.mu.RLock()
	defer w.mu.RUnlock()
	if w.closed {
		return ErrClosed
	}
	o := w.a.pageOp(p, w.opts.OnResult, false)
	o.frontierKey = frontierKey(p)
	if w.opts.Outbox != nil {
		w.a.attachOutbox(o, p, w.opts.Outbox)
	}
	if w.opts.PrintQueue {
		attachPrint(o)
	}
	if err := w.a.send(ctx, o); err != nil {
		return fmt.Errorf("submit %s: %w", p.URL, err)
	}
	return nil
}

// Flush commits everything queued so far (by any writer or frontier) and
// returns the first commit error since the previous flush.
func (w *Writer) Flush(ctx context.Context) error {
	return w.a.Flush(ctx)
}

// Close commits what is pending; later Submits fail with ErrClosed.
func (w *Writer) Close() error {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return nil
	}
	w.closed = true
	w.mu.Unlock()
	err := w.a.Flush(context.Background())
	if errors.Is(err, ErrClosed) {
		return nil
	}
	return err
}

// frontierKey is the key of the frontier entry that produced p.
func frontierKey(p Page) string {
	u := p.Requested
	if u == "" {
		u = p.URL
	}
	if key, err := canon.Key(u); err == nil {
		return key
	}
	return u
}

// Put stores one page synchronously (committed on return), in order with
// anything queued before it.
func (a *Archive) Put(ctx context.Context, p Page) (Result, error) {
	var (
		res    Result
		resErr error
	)
	o := a.pageOp(p, func(_ Page, r Result, err error) { res, resErr = r, err }, true)
	o.done = make(chan error, 1)
	if err := a.send(ctx, o); err != nil {
		return Result{}, fmt.Errorf("put %s: %w", p.URL, err)
	}
	<-o.done
	return res, resErr
}

// pageOp builds the op that stores p and reports to onResult. The page is
// checked, hashed and its capture compressed here, on the caller's
// goroutine, so that the transaction only looks up and writes.
func (a *Archive) pageOp(p Page, onResult func(Page, Result, error), flush bool) *op {
	in, pErr := a.prepare(p)
	var res Result
	o := &op{}
	*o = op{
		flush: flush,
		apply: func(tx *bolt.Tx) error {
			res = Result{}
			if pErr != nil {
				a.markUnstored(o)
				return nil
			}
			var err error
			res, err = a.storePrepared(tx, in) // after drops res on an error
			return err
		},
		after: func(err error) {
			if err == nil {
				err = pErr
			}
			if err != nil {
				res = Result{}
				a.markUnstored(o)
			}
			if onResult != nil {
				onResult(p, res, err)
			}
		},
	}
	o.result = &res
	o.size = pageSize(p, in)
	return o
}

// markUnstored notes that o stored nothing (see op.frontierKey); it runs
// on the committer.
func (a *Archive) markUnstored(o *op) {
	if o.frontierKey == "" {
		return
	}
	if a.unstored == nil {
		a.unstored = map[string]bool{}
	}
	a.unstored[o.frontierKey] = true
}

// pageSize estimates the memory a queued page op holds until committed:
// the page (article text, raw capture), what prepare derived from it
// (normalised text, compressed capture) and, in the transaction, the
// encoded record and state.
func pageSize(p Page, in *prepared) int64 {
	n := 1024
	if art := p.Article; art != nil {
		n += len(art.Title) + len(art.Body) + len(art.Lead)
	}
	if p.Capture != nil {
		n += len(p.Capture.Body)
	}
	if in != nil {
		n += 2*len(in.body) + len(in.title) // normalised, then in the record JSON
		if in.capture != nil {
			n += len(in.capture.value)
		}
	}
	return int64(n)
}
