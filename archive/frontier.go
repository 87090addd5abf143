package archive

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/parc-archiver/parc/archive/internal/capture"
	"github.com/parc-archiver/parc/archive/internal/fstore"
	"github.com/parc-archiver/parc/archive/internal/portals"
	"github.com/parc-archiver/parc/failure"
	"github.com/parc-archiver/parc/frontier"
	"github.com/parc-archiver/parc/internal/canon"
)

// FrontierOptions configures a crawl run's frontier.
type FrontierOptions struct {
	// Refresh queues archived articles again, with the validators of
	// their latest capture for a conditional request.
	Refresh bool
	// RevisitAfter, when positive, queues again (conditionally, as
	// Refresh does) an archived article that a page of this run links when
	// parc last fetched it longer ago than this: the listings a crawl walks
	// show the newest articles, the ones editors still change.
	RevisitAfter time.Duration
	// Portal names the portal whose crawl run this is; empty means
	// Options.Portal. Frontiers of different portals may be open at once
	// on one archive; a second one of the same portal is ErrFrontierOpen.
	Portal string
}

type frontierState = fstore.State

type queued struct {
	seq  uint64
	key  string
	it   frontier.Item
	sent bool // its add op is in the committer's queue
}

// Frontier is the persistent queue and seen-set of one portal's crawl run. Queue
// and seen-set live in the archive; memory holds only items handed out and
// not done, Done calls not yet committed and adds not yet committed. Items
// come out in FIFO order. Add and Done are committed through the archive's
// committer, in order with pages submitted before them: an article is
// never marked done before the page it produced is stored. Open one
// Frontier per portal at a time (Finish or Close ends it). It is safe for
// concurrent use.
type Frontier struct {
	a       *Archive
	refresh bool
	revisit time.Duration
	run     uint64

	// portal, num: the portal and its number; layout, metaState and
	// metaSeq name its stored frontier (package portals).
	portal             string
	num                uint32
	layout             fstore.Layout
	metaState, metaSeq string
	released           sync.Once

	// refreshing: archived records remain to be queued for this refresh
	// run, after id refreshAfter (see refill); under nextMu.
	nextMu       sync.Mutex
	refreshing   bool
	refreshAfter string

	mu      sync.Mutex
	handed  map[string]uint64 // key -> queue seq: handed out, not done
	doneing map[uint64]bool   // seqs done, not yet committed
	overlay []*queued         // added, not yet committed (FIFO)
	inOver  map[string]bool   // keys in overlay
	nextQ   uint64
	pending int
	// ahead holds committed queue entries read ahead of Next (FIFO, at
	// most aheadMax), so that Next needs a read transaction only every
	// aheadMax items; the queue was read up to seq scanned.
	ahead   []queued
	scanned uint64

	// queuedURLs holds item URLs, as given to Add, whose key this run
	// queued or found queued: Add leaves them out without computing the
	// key or reading the seen-set, as pages link the same articles again
	// and again. It is emptied when full (maxQueuedURLs), so its memory
	// stays bounded; under mu.
	queuedURLs map[string]struct{}
}

// aheadMax is how many committed queue entries Next reads in one read
// transaction.
const aheadMax = 64

// Run returns the crawl run number (1 for an archive's first crawl).
func (f *Frontier) Run() uint64 { return f.run }

// Frontier opens the current crawl run. If the previous run did not
// finish, it is resumed: items handed out but never done, and those that
// failed in it, are queued again.
// Otherwise a new run starts, with the items that failed in the previous
// run (and any it left queued) queued again. resumed reports which.
func (a *Archive) Frontier(ctx context.Context, opts FrontierOptions) (*Frontier, error) {
	if a.opts.ReadOnly {
		return nil, ErrReadOnly
	}
	f := &Frontier{a: a, refresh: opts.Refresh, revisit: opts.RevisitAfter, handed: map[string]uint64{}, doneing: map[uint64]bool{}, inOver: map[string]bool{},
		portal: opts.Portal}
	if f.portal == "" {
		f.portal = a.opts.Portal
	}
	if !a.frontiers.Claim(f.portal) {
		return nil, fmt.Errorf("open frontier of portal %q: %w", f.portal, ErrFrontierOpen)
	}
	err := a.do(ctx, func(tx *bolt.Tx) error {
		num, err := a.register(tx, f.portal)
		if err != nil {
			return err
		}
		f.num, f.layout = num, portals.LayoutOf(num, bURLs)
		f.metaState, f.metaSeq = portals.MetaKey(metaFrontier, num), portals.MetaKey(metaQueueSeq, num)
		if err := portals.Create(tx, num, bURLs); err != nil {
			return err
		}
		m := tx.Bucket(bMeta)
		st, err := portals.FrontierState(tx, bMeta, metaFrontier, num)
		if err != nil {
			return err
		}
		newRun := st.Run == 0 || st.Finished
		run, err := f.layout.OpenRun(tx, &st, opts.Refresh, getU64(m, f.metaSeq))
		if err != nil {
			return err
		}
		if newRun {
			b, _ := json.Marshal(st)
			if err := m.Put([]byte(f.metaState), b); err != nil {
				return err
			}
		}
		if err := m.Put([]byte(f.metaSeq), u64(run.NextSeq)); err != nil {
			return err
		}
		f.run, f.nextQ, f.pending = st.Run, run.NextSeq, run.Pending
		f.refreshing, f.refreshAfter = st.Refreshing, st.RefreshAfter
		f.refresh = f.refresh || st.Refreshing // a resumed refresh run stays one
		return nil
	})
	if err != nil {
		a.frontiers.Release(f.portal)
		return nil, fmt.Errorf("open frontier of portal %q: %w", f.portal, err)
	}
	return f, nil
}

// Portal returns the name of the frontier's portal.
func (f *Frontier) Portal() string { return f.portal }

// Close ends the frontier without finishing its run (the next Frontier of
// the portal resumes it): another may be opened for the portal after.
// Finish closes it too.
func (f *Frontier) Close() { f.released.Do(func() { f.a.frontiers.Release(f.portal) }) }

// refillChunk is how many archived records a refresh run queues at a
// time: the queue and the commit stay small whatever the archive's size.
const refillChunk = 512

// refill queues the next chunk of archived articles of a refresh run, with
// the validators of their latest capture (through Add, which skips those
// queued already this run), so --refresh revisits the whole archive,
// articles no listing links any more included. The position is committed
// after the chunk: a crash repeats at most one chunk, which Add then skips.
// It reports whether anything remains or was queued.
func (f *Frontier) refill(ctx context.Context) (bool, error) {
	var items []frontier.Item
	after, done := f.refreshAfter, false
	err := f.a.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bRecords).Cursor()
		k, v := c.First()
		if after != "" {
			if k, v = c.Seek([]byte(after)); k != nil && string(k) == after {
				k, v = c.Next()
			}
		}
		for ; k != nil && len(items) < refillChunk; k, v = c.Next() {
			after = string(k)
			var r struct {
				URL         string `json:"url"`
				ContentHash string `json:"content_hash"`
				Portal      string `json:"portal"`
			}
			js, err := openStored(v)
			if err == nil {
				err = json.Unmarshal(js, &r)
			}
			if err != nil {
				return fmt.Errorf("record %s: %w", k, err)
			}
			if r.ContentHash == "" || r.Portal != f.portal {
				continue // a redacted record is never fetched again; another portal's is its own
			}
			items = append(items, frontier.Item{URL: r.URL, Kind: frontier.KindArticle})
		}
		done = k == nil
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("refresh: %w", err)
	}
	if len(items) > 0 {
		if _, err := f.Add(ctx, items, len(items)); err != nil {
			return false, err
		}
	}
	st := frontierState{Run: f.run, Refreshing: !done, RefreshAfter: after}
	if err := f.a.do(ctx, func(tx *bolt.Tx) error {
		b, _ := json.Marshal(st)
		return tx.Bucket(bMeta).Put([]byte(f.metaState), b)
	}); err != nil {
		return false, fmt.Errorf("refresh: %w", err)
	}
	f.refreshing, f.refreshAfter = !done, after
	return !done || len(items) > 0, nil
}

// due reports whether the archived record id was last fetched longer ago
// than RevisitAfter.
func (f *Frontier) due(tx *bolt.Tx, id []byte) bool {
	if f.revisit <= 0 {
		return false
	}
	var r struct {
		LastSeen    string `json:"last_seen"`
		ContentHash string `json:"content_hash"`
	}
	js, err := openStored(tx.Bucket(bRecords).Get(id))
	if err != nil || json.Unmarshal(js, &r) != nil || r.ContentHash == "" {
		return false // unreadable (verify reports it) or redacted
	}
	last, err := time.Parse(time.RFC3339, r.LastSeen)
	return err == nil && f.a.opts.Now().Sub(last) >= f.revisit
}

// maxQueuedURLs bounds Frontier.queuedURLs.
const maxQueuedURLs = 8192

// rememberQueued notes that url's key is queued in this run; f.mu is held.
func (f *Frontier) rememberQueued(url string) {
	if f.queuedURLs == nil || len(f.queuedURLs) >= maxQueuedURLs {
		f.queuedURLs = make(map[string]struct{}, 1024)
	}
	f.queuedURLs[url] = struct{}{}
}

// unqueued returns the items whose URL is not known to be queued in this
// run: most links were, and are left out before a read transaction opens.
// f.mu is held.
func (f *Frontier) unqueued(items []frontier.Item) []frontier.Item {
	rest := make([]frontier.Item, 0, len(items))
	for _, it := range items {
		if _, ok := f.queuedURLs[it.URL]; !ok {
			rest = append(rest, it)
		}
	}
	return rest
}

// Add queues the items whose URL was not queued in this run yet and, for
// articles, that are not archived (unless refreshing), at most room of
// them; the rest of those it counts as dropped (not marked seen: a later
// run may queue them). Fresh counts the queued articles not in the archive.
func (f *Frontier) Add(ctx context.Context, items []frontier.Item, room int) (res frontier.Added, err error) {
	f.mu.Lock()
	rest := f.unqueued(items)
	if len(rest) == 0 {
		f.mu.Unlock()
		return res, nil
	}
	var batch []*queued
	err = f.a.db.View(func(tx *bolt.Tx) error {
		seen, urls := tx.Bucket(f.layout.Seen), tx.Bucket(bURLs)
		for _, it := range rest {
			key, err := canon.Key(it.URL)
			if err != nil || f.inOver[key] {
				continue
			}
			if run, _ := fstore.Decode(seen.Get([]byte(key))); run == f.run {
				f.rememberQueued(it.URL)
				continue
			}
			var id []byte
			if it.Kind == frontier.KindArticle {
				if id = urls.Get([]byte(key)); id != nil && !f.refresh && !f.due(tx, id) {
					continue
				}
			}
			if len(batch) >= room {
				res.Dropped++
				continue
			}
			if id != nil {
				it.ETag, it.LastModified = validators(tx, string(id))
			} else if it.Kind == frontier.KindArticle {
				res.Fresh++
			}
			f.nextQ++
			q := &queued{seq: f.nextQ, key: key, it: it}
			f.inOver[key] = true
			f.rememberQueued(it.URL)
			batch = append(batch, q)
		}
		return nil
	})
	res.Queued = len(batch)
	if err != nil {
		f.mu.Unlock()
		return frontier.Added{}, fmt.Errorf("frontier add: %w", err)
	}
	if len(batch) == 0 {
		f.mu.Unlock()
		return res, nil
	}
	f.overlay = append(f.overlay, batch...)
	f.pending += len(batch)
	maxSeq := f.nextQ
	f.mu.Unlock()

	size := 0
	for _, e := range batch {
		size += 128 + 2*len(e.it.URL) + len(e.key)
	}
	o := &op{
		size: int64(size),
		apply: func(tx *bolt.Tx) error {
			q, seen, m := tx.Bucket(f.layout.Queue), tx.Bucket(f.layout.Seen), tx.Bucket(bMeta)
			for _, e := range batch {
				v, err := json.Marshal(e.it)
				if err != nil {
					return err
				}
				if err := q.Put(u64(e.seq), v); err != nil {
					return err
				}
				if err := seen.Put([]byte(e.key), fstore.Value(f.run, 0)); err != nil {
					return err
				}
			}
			if getU64(m, f.metaSeq) < maxSeq {
				return m.Put([]byte(f.metaSeq), u64(maxSeq))
			}
			return nil
		},
		after: func(err error) { f.dropOverlay(batch, err) },
	}
	if err := f.a.send(ctx, o); err != nil {
		f.dropOverlay(batch, err)
		return frontier.Added{}, fmt.Errorf("frontier add: %w", err)
	}
	f.mu.Lock()
	for _, e := range batch {
		e.sent = true
	}
	f.mu.Unlock()
	return res, nil
}

// dropOverlay forgets committed (or failed) adds.
func (f *Frontier) dropOverlay(batch []*queued, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	gone := make(map[*queued]bool, len(batch))
	for _, e := range batch {
		gone[e] = true
		delete(f.inOver, e.key)
		if err == nil && e.seq <= f.scanned {
			// Adds committed out of seq order (concurrent Add calls):
			// read the queue again from its start.
			f.ahead, f.scanned = nil, 0
		}
		if err != nil {
			delete(f.queuedURLs, e.it.URL) // its key is not in the seen-set
			f.pending--
			if seq, ok := f.handed[e.key]; ok && seq == e.seq {
				delete(f.handed, e.key)
			}
		}
	}
	kept := f.overlay[:0]
	for _, e := range f.overlay {
		if !gone[e] {
			kept = append(kept, e)
		}
	}
	clear(f.overlay[len(kept):])
	f.overlay = kept
	if len(kept) == 0 {
		// Maps never shrink: start afresh so that memory follows what is
		// uncommitted now, not the largest burst of adds.
		f.overlay, f.inOver = nil, map[string]bool{}
	}
	if err != nil {
		f.a.log.Error("frontier add not committed", "items", len(batch), "err", err)
	}
}

// validators returns the ETag and Last-Modified of the record's latest
// capture, when kept.
func validators(tx *bolt.Tx, id string) (etag, lastMod string) {
	d, err := loadDocOnly(tx, id)
	if err != nil {
		return "", ""
	}
	cur := d.Revs[len(d.Revs)-1]
	cid := cur.CaptureID
	if n := len(cur.Refetches); n > 0 {
		cid = cur.Refetches[n-1].ID
	}
	v := tx.Bucket(bCaptures).Get([]byte(cid))
	if v == nil {
		return "", ""
	}
	h, err := capture.ResponseHeader(v)
	if err != nil {
		return "", ""
	}
	return h.Get("ETag"), h.Get("Last-Modified")
}

// Next hands out the oldest queued item not handed out yet; ok is false
// when there is none right now (others may still be in flight). In a
// refresh run, an empty queue is refilled with the next archived articles.
func (f *Frontier) Next(ctx context.Context) (frontier.Item, bool, error) {
	f.nextMu.Lock()
	defer f.nextMu.Unlock()
	for {
		if err := ctx.Err(); err != nil {
			return frontier.Item{}, false, err
		}
		it, ok, err := f.next()
		if ok || err != nil || !f.refreshing {
			return it, ok, err
		}
		if more, err := f.refill(ctx); err != nil || !more {
			return frontier.Item{}, false, err
		}
	}
}

func (f *Frontier) next() (frontier.Item, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	e, ok := f.takeAhead()
	if !ok {
		if err := f.readAhead(); err != nil {
			return frontier.Item{}, false, fmt.Errorf("frontier next: %w", err)
		}
		e, ok = f.takeAhead()
	}
	if !ok {
		for _, o := range f.overlay {
			if _, busy := f.handed[o.key]; o.sent && !busy && !f.doneing[o.seq] {
				e, ok = *o, true
				break
			}
		}
	}
	if !ok {
		return frontier.Item{}, false, nil
	}
	f.handed[e.key] = e.seq
	return e.it, true, nil
}

// takeAhead removes and returns the first read-ahead entry whose key is
// not in flight.
func (f *Frontier) takeAhead() (queued, bool) {
	for i, e := range f.ahead {
		if _, busy := f.handed[e.key]; busy {
			continue // the same URL queued twice: wait for the first
		}
		n := len(f.ahead)
		copy(f.ahead[i:], f.ahead[i+1:])
		f.ahead[n-1] = queued{}
		f.ahead = f.ahead[:n-1]
		return e, true
	}
	return queued{}, false
}

// readAhead appends up to aheadMax committed queue entries after scanned,
// skipping those handed out or done.
func (f *Frontier) readAhead() error {
	if len(f.ahead) >= aheadMax {
		return nil // all in flight under another queue entry
	}
	return f.a.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(f.layout.Queue).Cursor()
		for k, v := c.Seek(u64(f.scanned + 1)); k != nil && len(f.ahead) < aheadMax; k, v = c.Next() {
			s := binary.BigEndian.Uint64(k)
			f.scanned = s
			if f.doneing[s] {
				continue
			}
			var it frontier.Item
			if err := json.Unmarshal(v, &it); err != nil {
				return fmt.Errorf("frontier item %d: %w", s, err)
			}
			key, err := canon.Key(it.URL)
			if err != nil {
				key = it.URL
			}
			if seq, ok := f.handed[key]; ok && seq == s {
				continue // in flight
			}
			f.ahead = append(f.ahead, queued{seq: s, key: key, it: it})
		}
		return nil
	})
}

// Done records the final state of an item handed out by Next. It is
// committed in order after everything submitted before it.
func (f *Frontier) Done(ctx context.Context, it frontier.Item, status frontier.Status) error {
	key, err := canon.Key(it.URL)
	if err != nil {
		key = it.URL
	}
	f.mu.Lock()
	seq, ok := f.handed[key]
	if !ok {
		f.mu.Unlock()
		return fmt.Errorf("frontier done %s: not handed out", it.URL)
	}
	delete(f.handed, key)
	f.doneing[seq] = true
	f.pending--
	f.mu.Unlock()
	o := &op{
		apply: func(tx *bolt.Tx) error {
			if err := tx.Bucket(f.layout.Queue).Delete(u64(seq)); err != nil {
				return err
			}
			if f.a.unstored[key] {
				// The page it produced was not stored: not done.
				status, it.Failed = frontier.StatusFailed, &frontier.Failure{Kind: string(failure.Store), Attempts: 1}
			}
			return f.layout.Book(tx, key, f.run, it, status)
		},
		after: func(err error) {
			if err == nil {
				delete(f.a.unstored, key)
			}
			f.mu.Lock()
			delete(f.doneing, seq)
			if len(f.doneing) == 0 {
				f.doneing = map[uint64]bool{}
			}
			f.mu.Unlock()
		},
	}
	if err := f.a.send(ctx, o); err != nil {
		f.mu.Lock()
		delete(f.doneing, seq)
		f.handed[key] = seq
		f.pending++
		f.mu.Unlock()
		return fmt.Errorf("frontier done %s: %w", it.URL, err)
	}
	return nil
}

// Pending returns how many items are queued or in flight in this run.
func (f *Frontier) Pending() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.pending
}

// Finish marks the run finished (the crawl drained normally) once
// everything queued before is committed, and closes the frontier; the
// next Frontier starts a new run. Items still queued are carried into it.
func (f *Frontier) Finish(ctx context.Context) error {
	err := f.a.do(ctx, func(tx *bolt.Tx) error {
		b, _ := json.Marshal(frontierState{Run: f.run, Finished: true})
		return tx.Bucket(bMeta).Put([]byte(f.metaState), b)
	})
	f.Close()
	if err != nil {
		return fmt.Errorf("finish run %d: %w", f.run, err)
	}
	return f.a.takeErr()
}
