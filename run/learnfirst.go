package run

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/parc-archiver/parc/crawler"
	"github.com/parc-archiver/parc/extract"
	"github.com/parc-archiver/parc/extract/template"
	"github.com/parc-archiver/parc/failure"
	"github.com/parc-archiver/parc/frontier"
	"github.com/parc-archiver/parc/internal/htmldoc"
)

// firstPages is how many article pages the first crawl of a new portal
// learns its template model from before it extracts any; it learns from
// fewer when they hold heldBytesMax (memory stays bounded on a portal of
// huge pages).
const (
	firstPages   = 30
	heldBytesMax = 32 << 20
)

// stager holds the first article pages of a new portal's first crawl
// back until the run has learned the template model from them (issue 15
// item 6: the first crawl learns before it extracts any), then extracts
// and stores them with it, as every later page of the run. It is the
// crawler's Handler and wraps its Frontier: the Done of a page held back
// is held too and reported once the page is stored, so that a crawl
// killed meanwhile finds those pages not done and fetches them again.
type stager struct {
	c  *crawlRun
	h  *pageHandler
	fr crawler.Frontier
	ex atomic.Pointer[extract.Extractor] // the run's extractor once released

	mu       sync.Mutex
	released bool
	learner  *template.Learner
	held     []*crawler.Page              // in arrival order, Doc dropped
	heldSize int                          // their bodies' bytes
	heldURL  map[string]bool              // items whose pages are held
	dones    []heldDone                   // the held items' Done calls
	failed   map[string]*frontier.Failure // held pages that did not extract or store, by item URL
	failures []crawler.FailedURL          // the same, for the run's counts
}

type heldDone struct {
	it frontier.Item
	st frontier.Status
}

func newStager(c *crawlRun, h *pageHandler, fr crawler.Frontier) *stager {
	s := &stager{c: c, h: h, fr: fr, learner: template.NewLearner(), heldURL: map[string]bool{}, failed: map[string]*frontier.Failure{}}
	s.ex.Store(h.ex)
	return s
}

// handle holds a fetched article page back (after counting it for the
// model) until firstPages were counted; the page that completes them
// releases the others and is handled with the model, as is every page
// after. Anything else is handled at once.
func (s *stager) handle(ctx context.Context, p *crawler.Page) error {
	s.mu.Lock()
	if s.released || p.Doc == nil || p.Status < 200 || p.Status > 299 || p.Gone {
		s.mu.Unlock()
		return s.h.handleWith(ctx, p, s.ex.Load())
	}
	s.learner.Add(p.Doc.Nodes[0], p.URL.Hostname())
	if s.learner.Pages() < firstPages && s.heldSize+len(p.Body) <= heldBytesMax {
		s.held = append(s.held, heldCopy(p))
		s.heldSize += len(p.Body)
		s.heldURL[p.Item.URL] = true
		s.mu.Unlock()
		return nil
	}
	s.mu.Unlock()
	if err := s.release(ctx); err != nil {
		return err
	}
	return s.h.handleWith(ctx, p, s.ex.Load())
}

// heldCopy is what a held page keeps of p: its bytes copied (the
// crawler's may not outlive the Handler), its parse dropped (the held
// pages are parsed again when released).
func heldCopy(p *crawler.Page) *crawler.Page {
	q := *p
	q.Doc = nil
	q.Body = bytes.Clone(p.Body)
	q.Exchanges = make([]*crawler.Exchange, len(p.Exchanges))
	for i, ex := range p.Exchanges {
		e := *ex
		e.Raw = bytes.Clone(ex.Raw) // nil stays nil: the body as received is Body
		q.Exchanges[i] = &e
	}
	return &q
}

// Add and Next are the run's frontier's.
func (s *stager) Add(ctx context.Context, items []frontier.Item, room int) (frontier.Added, error) {
	return s.fr.Add(ctx, items, room)
}

func (s *stager) Next(ctx context.Context) (frontier.Item, bool, error) { return s.fr.Next(ctx) }

// Done holds the Done of a held page until the page is stored; a held
// page that did not extract or store is reported failed.
func (s *stager) Done(ctx context.Context, it frontier.Item, st frontier.Status) error {
	s.mu.Lock()
	if s.heldURL[it.URL] && !s.released {
		s.dones = append(s.dones, heldDone{it, st})
		s.mu.Unlock()
		return nil
	}
	it, st = s.outcome(it, st)
	s.mu.Unlock()
	return s.fr.Done(ctx, it, st)
}

// outcome is the state to report for a held item: failed when its page
// did not extract or store (s.mu held).
func (s *stager) outcome(it frontier.Item, st frontier.Status) (frontier.Item, frontier.Status) {
	if f := s.failed[it.URL]; f != nil {
		it.Failed, st = f, frontier.StatusFailed
	}
	return it, st
}

// release learns the template model from the held pages (when there are
// at least template.MinPages), stores it, extracts and stores the held
// pages with it, then reports their Done. Pages arriving meanwhile wait
// for it; later ones are handled with the model at once.
func (s *stager) release(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.released {
		return nil
	}
	s.released = true
	if err := s.learn(ctx); err != nil {
		s.c.log.Warn("template model not learned from the first pages: extracting without it", "portal", s.c.cfg.Portal.Name, "err", err)
	}
	ex := s.ex.Load()
	for _, p := range s.held {
		if err := s.store(ctx, p, ex); err != nil {
			if ctx.Err() != nil {
				return ctx.Err() // the held pages not stored stay not done: the next run fetches them again
			}
			s.fail(p, err)
		}
	}
	for _, d := range s.dones {
		it, st := s.outcome(d.it, d.st)
		if err := s.fr.Done(ctx, it, st); err != nil {
			return fmt.Errorf("frontier done %s: %w", it.URL, err)
		}
	}
	s.held, s.dones = nil, nil
	return nil
}

// learn builds the model from the held pages, stores it and makes the
// run's extractor apply it.
func (s *stager) learn(ctx context.Context) error {
	stored, _ := StoredTemplate(ctx, s.c.s.arc, s.c.cfg.Portal.Name) // a reset one's version goes on
	m, ok := s.learner.Model(nextVersion(stored), s.c.s.clock.Now())
	if !ok {
		return nil // too few pages: generic extraction alone
	}
	if err := storeTemplate(ctx, s.c.s.arc, s.c.cfg.Portal.Name, m); err != nil {
		return err
	}
	ex, err := Extractor(s.c.cfg, false, m)
	if err != nil {
		return err
	}
	s.ex.Store(ex)
	s.c.mu.Lock()
	s.c.tmpl = TemplateUse{Model: m, Learned: true, First: true, startSeq: s.c.tmpl.startSeq}
	s.c.sum.Template = s.c.tmpl
	s.c.mu.Unlock()
	s.c.log.Info("template model learned from the first pages", "portal", s.c.cfg.Portal.Name, "version", m.Version, "pages", m.Pages, "blocks", len(m.Blocks))
	return nil
}

// store extracts a held page (parsed again) with ex and submits it.
func (s *stager) store(ctx context.Context, p *crawler.Page, ex *extract.Extractor) error {
	doc, _, err := htmldoc.Parse(p.Body, p.Header.Get("Content-Type"))
	if err != nil {
		return err
	}
	p.Doc = doc
	return s.h.handleWith(ctx, p, ex)
}

// fail books a held page that did not extract or store as the crawler
// books a Handler's refusal: failed, for the next run, with how.
func (s *stager) fail(p *crawler.Page, err error) {
	f := crawler.FailedURL{URL: p.Item.URL, Kind: failure.Handler, Status: p.Status, Attempts: 1}
	s.failures = append(s.failures, f)
	s.failed[f.URL] = &frontier.Failure{Kind: string(f.Kind), Status: f.Status, Attempts: f.Attempts}
	s.c.log.Warn("page failed", "url", f.URL, "kind", f.Kind, "status", f.Status, "attempts", f.Attempts, "err", err)
}

// finish releases what is still held once the crawler stopped (a portal
// with fewer than firstPages article pages, or a run stopped early), and
// adds the held pages that failed to the run's counts.
func (s *stager) finish(ctx context.Context, st *crawler.Stats) error {
	var err error
	if ctx.Err() == nil { // an interrupted run learns and stores nothing: what it held is fetched again next time
		err = s.release(ctx)
	}
	if errors.Is(err, context.Canceled) {
		err = nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st.Failed += len(s.failures)
	st.FailedURLs = append(st.FailedURLs, s.failures...)
	if len(s.failures) > 0 {
		if st.Failures == nil {
			st.Failures = map[failure.Kind]int{}
		}
		st.Failures[failure.Handler] += len(s.failures)
	}
	return err
}
