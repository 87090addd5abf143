package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/parc-archiver/parc/archive"
	"github.com/parc-archiver/parc/record"
)

// indexSchema names the index's layout; an index of another is rebuilt.
const indexSchema = "parc-search-4"

// Internal keys of the index (bleve's SetInternal).
var (
	keySchema  = []byte("parc.schema")
	keySeq     = []byte("parc.seq")     // the archive change sequence indexed up to
	keyArchive = []byte("parc.archive") // the identity of the archive indexed
)

// syncWindow is how many change sequence numbers one read of the archive
// covers while the index catches up: each read is a short transaction, so
// a crawl can take the archive in between.
const syncWindow = 2000

// IndexPath is where the search index of the archive at archivePath is
// kept: a directory beside it whose name starts with the archive's.
func IndexPath(archivePath string) string { return archivePath + ".search" }

// Index is the full-text search index of one archive (bleve), kept in
// step with it by Sync. It is safe for concurrent use.
type Index struct {
	idx  bleve.Index
	path string // "" when in memory
	log  *slog.Logger

	window   uint64     // change sequence numbers per read (syncWindow)
	mu       sync.Mutex // serialises Sync and CatchUp
	archive  string     // the identity of the archive indexed (guarded by mu)
	seq      atomic.Uint64
	target   atomic.Uint64 // the archive's change sequence when the running Sync began
	building atomic.Bool   // a Sync from far behind is running
	gen      atomic.Uint64 // counts the index's changes (for counts)
	counts   countsCache   // the match counts of the queries asked lately
	sortAll  int           // the most matches whose pages are sorted from all of them (fullSortMax)
	resorts  atomic.Uint64 // pages sorted from every match after month counts that did not add up
	behind   chan struct{} // CatchUp found the index far behind: KeepIndexed's Sync has work

	redactions string     // RedactionsPath of the archive
	rmu        sync.Mutex // guards redOff
	redOff     int64      // how much of the redactions file is applied
}

// OpenIndex opens the index beside the archive at archivePath, or makes a
// new one: in memory when the archive's directory is not writable, or
// when another parc process has the index open. An index of another
// schema is removed and made anew.
func OpenIndex(archivePath string, log *slog.Logger) (*Index, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	path := IndexPath(archivePath)
	cfg := map[string]any{"bolt_timeout": "1s"}
	idx, err := bleve.OpenUsing(path, cfg)
	switch {
	case err == nil:
		if v, _ := idx.GetInternal(keySchema); string(v) == indexSchema {
			return newIndex(idx, archivePath, path, log)
		}
		idx.Close()
		log.Info("search index of another layout: rebuilding it", "path", path)
		if err := os.RemoveAll(path); err != nil {
			return nil, fmt.Errorf("search index %s: %w", path, err)
		}
	case !errors.Is(err, bleve.ErrorIndexPathDoesNotExist):
		log.Info("search index not opened", "path", path, "err", err)
	}
	m, err := indexMapping()
	if err != nil {
		return nil, err
	}
	idx, err = bleve.NewUsing(path, m, bleve.Config.DefaultIndexType, bleve.Config.DefaultKVStore, cfg)
	if err != nil {
		log.Info("search index kept in memory", "path", path, "why", err)
		if idx, err = newMemIndex(m); err != nil {
			return nil, fmt.Errorf("search index in memory: %w", err)
		}
		path = ""
	}
	if err := idx.SetInternal(keySchema, []byte(indexSchema)); err != nil {
		idx.Close()
		return nil, fmt.Errorf("search index: %w", err)
	}
	return newIndex(idx, archivePath, path, log)
}

// newMemIndex makes an index in memory: scorch without a path, like the
// index on disk but never persisted (bleve's NewMemOnly is its older
// engine, some 13 times slower to sort 100 000 matches).
func newMemIndex(m mapping.IndexMapping) (bleve.Index, error) {
	return bleve.NewUsing("", m, scorch.Name, scorch.Name, nil)
}

func newIndex(idx bleve.Index, archivePath, path string, log *slog.Logger) (*Index, error) {
	ix := &Index{idx: idx, path: path, log: log, window: syncWindow, sortAll: fullSortMax, redactions: RedactionsPath(archivePath),
		behind: make(chan struct{}, 1)}
	id, err := idx.GetInternal(keyArchive)
	if err != nil {
		return nil, fmt.Errorf("search index: %w", err)
	}
	ix.archive = string(id)
	v, err := idx.GetInternal(keySeq)
	if err != nil {
		return nil, fmt.Errorf("search index: %w", err)
	}
	if len(v) > 0 {
		n, err := strconv.ParseUint(string(v), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("search index: sequence %q: %w", v, err)
		}
		ix.seq.Store(n)
	}
	return ix, nil
}

// InMemory reports whether the index lives in memory only.
func (ix *Index) InMemory() bool { return ix.path == "" }

// Close closes the index.
func (ix *Index) Close() error { return ix.idx.Close() }

// Indexing reports whether the index is catching up from far behind, and
// how far it got (indexed and target change sequences).
func (ix *Index) Indexing() (bool, uint64, uint64) {
	return ix.building.Load(), ix.seq.Load(), ix.target.Load()
}

func indexMapping() (mapping.IndexMapping, error) {
	im := bleve.NewIndexMapping()
	err := im.AddCustomAnalyzer("folded", map[string]any{"type": custom.Name, "tokenizer": unicode.Name, "token_filters": []string{lowercase.Name}})
	if err != nil {
		return nil, fmt.Errorf("search index mapping: %w", err)
	}
	field := func(analyzer string, index, store bool) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer, f.Index, f.Store, f.IncludeInAll, f.IncludeTermVectors, f.DocValues = analyzer, index, store, false, false, index && analyzer == keyword.Name
		return f
	}
	dm := bleve.NewDocumentStaticMapping()
	dm.AddFieldMappingsAt("text", field("folded", true, false))
	dm.AddFieldMappingsAt("byline", field("folded", true, false))
	dm.AddFieldMappingsAt("portal", field(keyword.Name, true, true))
	dm.AddFieldMappingsAt("category", field(keyword.Name, true, false))
	dm.AddFieldMappingsAt("published", field(keyword.Name, true, false))
	dm.AddFieldMappingsAt("newest", field(keyword.Name, true, false))       // the results' order: one doc value, no stored id to load
	dm.AddFieldMappingsAt("newest_month", field(keyword.Name, true, false)) // newest's month: pages from their months (deep.go)
	dm.AddFieldMappingsAt("month", field(keyword.Name, true, false))        // the home page's counts
	dm.AddFieldMappingsAt("gone", field(keyword.Name, true, false))
	dm.AddFieldMappingsAt("first_seen", field(keyword.Name, true, true))
	for _, f := range []string{"title", "category_s", "byline_s", "published_s", "lead"} {
		dm.AddFieldMappingsAt(f, field(keyword.Name, false, true))
	}
	im.DefaultMapping = dm
	return im, nil
}

// docOf is what the index holds of a record: folded text to match, the
// filters, and what a result shows.
func docOf(rec *record.Record) map[string]any {
	doc := map[string]any{
		"text": Fold(searchText(rec)), "byline": Fold(rec.Byline), "portal": rec.Portal, "category": Fold(rec.Category),
		"title": rec.Title, "category_s": rec.Category, "byline_s": rec.Byline, "published_s": rec.Published, "lead": rec.Lead,
	}
	doc["newest"], doc["newest_month"] = " "+rec.ID, undatedMonth // an article without a date comes after those with one
	if t, err := time.Parse(time.RFC3339, rec.Published); err == nil {
		utc := t.UTC().Format(time.RFC3339)
		doc["published"] = utc // sorts as time; absent when the article has no date
		doc["newest"], doc["newest_month"] = utc+" "+rec.ID, utc[:7]
	}
	if m := monthOf(rec.Published, rec.FirstSeen); m != "" {
		doc["month"] = m
	}
	if rec.FirstSeen != "" {
		doc["first_seen"] = rec.FirstSeen
	}
	if rec.GoneSince != "" {
		doc["gone"] = "yes"
	}
	return doc
}

// window is one read of the archive for the index: the records whose
// change sequence is in (from, upTo], read when the archive, of identity
// id, was at cur.
type window struct {
	batch           *bleve.Batch
	id              string
	from, upTo, cur uint64
}

// read reads the window after from out of arc. An archive other than the
// one indexed (another identity) is read from its start.
func (ix *Index) read(ctx context.Context, arc *archive.Archive, from uint64) (window, error) {
	w := window{batch: ix.idx.NewBatch(), from: from}
	var err error
	if w.id, err = arc.Identity(ctx); err != nil {
		return w, err
	}
	if w.cur, err = arc.CurrentSeq(ctx); err != nil || w.cur <= from || ix.other(w.id) {
		return w, err
	}
	w.upTo = min(w.cur, from+ix.window)
	err = arc.Records(ctx, archive.Filter{AfterSeq: from, UpToSeq: w.upTo}, func(raw []byte) error {
		var rec record.Record
		if err := json.Unmarshal(raw, &rec); err != nil {
			return err
		}
		return w.batch.Index(rec.ID, docOf(&rec))
	})
	return w, err
}

// Sync brings the index up to the archive's change sequence, reading the
// archive from src one window of syncWindow sequence numbers at a time,
// each its own short read, and applying each window's records after the
// read. A record's newest state replaces what the index had of it. It
// returns the source's error (archive.ErrLocked while a crawl holds it),
// keeping what it indexed so far.
func (ix *Index) Sync(ctx context.Context, src Source) error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	defer ix.building.Store(false)
	for {
		var w window
		err := src.Use(ctx, func(arc *archive.Archive) error {
			var err error
			w, err = ix.read(ctx, arc, ix.seq.Load())
			return err
		})
		if err != nil {
			return err
		}
		if done, err := ix.take(w); done || err != nil {
			return err
		}
	}
}

// other reports whether id is another archive's than the one indexed. An
// index of an archive without identity (one made before identities, read
// only since) takes the identity it is given next.
func (ix *Index) other(id string) bool { return ix.archive != "" && id != ix.archive }

// take applies w; done when the index was up to date already. The index
// of another archive (another identity) or of a later state of this one
// (a change sequence above the archive's: a restored backup) is emptied,
// to be built again from the start.
func (ix *Index) take(w window) (done bool, err error) {
	switch {
	case ix.other(w.id):
		return false, ix.reset(w.id, "the archive is another than the one indexed")
	case w.cur < w.from:
		return false, ix.reset(w.id, "the archive's change sequence is below the search index's (a backup restored?)")
	case w.cur == w.from:
		if ix.archive != w.id { // the first identity given to an index of an archive without one
			return true, ix.apply(w.batch, w.id, w.cur)
		}
		return true, nil
	}
	ix.target.Store(w.cur)
	if w.cur > w.upTo {
		ix.building.Store(true)
	}
	return false, ix.apply(w.batch, w.id, w.upTo)
}

// CatchUp applies the next window of arc's changes unless a Sync is
// running, and reports whether the index is then up to date with arc.
// When it is not, it tells KeepIndexed to go on in the background (a
// running Sync may have read the archive before its last change: it
// gets another turn).
func (ix *Index) CatchUp(ctx context.Context, arc *archive.Archive) (bool, error) {
	if !ix.mu.TryLock() {
		ix.wake()
		return false, nil
	}
	defer ix.mu.Unlock()
	w, err := ix.read(ctx, arc, ix.seq.Load())
	if err != nil {
		return false, err
	}
	if _, err := ix.take(w); err != nil {
		return false, err
	}
	ix.building.Store(false)
	if ix.seq.Load() != w.cur {
		ix.wake()
		return false, nil
	}
	return true, nil
}

// wake tells KeepIndexed to Sync again.
func (ix *Index) wake() {
	select {
	case ix.behind <- struct{}{}:
	default:
	}
}

// apply writes batch and the archive and sequence it brings the index up
// to.
func (ix *Index) apply(batch *bleve.Batch, archive string, seq uint64) error {
	batch.SetInternal(keySeq, []byte(strconv.FormatUint(seq, 10)))
	batch.SetInternal(keyArchive, []byte(archive))
	defer ix.gen.Add(1)
	if err := ix.idx.Batch(batch); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	ix.archive = archive
	ix.seq.Store(seq)
	return nil
}

// reset empties the index, to be built from the start of the archive of
// identity id, saying why.
func (ix *Index) reset(id, why string) error {
	ix.log.Warn(why+": rebuilding the search index", "archive", id, "index", ix.archive, "indexed_up_to", ix.seq.Load())
	batch := ix.idx.NewBatch()
	ids, err := ix.allIDs()
	if err != nil {
		return err
	}
	for _, doc := range ids {
		batch.Delete(doc)
	}
	return ix.apply(batch, id, 0)
}

// Remove takes the records ids out of the index (redacted ones).
func (ix *Index) Remove(ids ...string) error {
	batch := ix.idx.NewBatch()
	for _, id := range ids {
		batch.Delete(id)
	}
	defer ix.gen.Add(1)
	if err := ix.idx.Batch(batch); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	return nil
}

func (ix *Index) allIDs() ([]string, error) {
	var ids []string
	for from := 0; ; from += 10000 {
		req := bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), 10000, from, false)
		res, err := ix.idx.Search(req)
		if err != nil {
			return nil, fmt.Errorf("search index: %w", err)
		}
		for _, h := range res.Hits {
			ids = append(ids, h.ID)
		}
		if len(res.Hits) < 10000 {
			return ids, nil
		}
	}
}

// RedactionsPath is where parc redact lists the redacted record ids
// (one a line) for the search indexes of the archive at archivePath: a
// running server, whose index no other process can open, reads it before
// each search.
func RedactionsPath(archivePath string) string { return archivePath + ".search-redacted" }

// Unindex takes the record id out of the search index of the archive at
// archivePath (parc redact): it appends id to RedactionsPath, which every
// index of the archive applies before its next search (a running server's
// too, in memory or not, even while a crawl holds the archive), and
// deletes it from the index directory when no other process has it open.
func Unindex(archivePath, id string) error {
	f, err := os.OpenFile(RedactionsPath(archivePath), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("search index redactions: %w", err)
	}
	_, werr := f.WriteString(id + "\n")
	if err := errors.Join(werr, f.Close()); err != nil {
		return fmt.Errorf("search index redactions: %w", err)
	}
	path := IndexPath(archivePath)
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	idx, err := bleve.OpenUsing(path, map[string]any{"bolt_timeout": "1s"})
	if err != nil {
		return nil // open in a running server, which applies the list itself
	}
	defer idx.Close()
	if err := idx.Delete(id); err != nil {
		return fmt.Errorf("search index %s: %w", path, err)
	}
	return nil
}

// applyRedactions removes from the index the ids parc redact listed since
// the last call (the whole list after a start).
func (ix *Index) applyRedactions() error {
	ix.rmu.Lock()
	defer ix.rmu.Unlock()
	b, err := os.ReadFile(ix.redactions)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("search index redactions: %w", err)
	}
	if int64(len(b)) < ix.redOff {
		ix.redOff = 0 // the list was replaced
	}
	end := int64(bytes.LastIndexByte(b, '\n') + 1) // whole lines only
	if end <= ix.redOff {
		return nil
	}
	if err := ix.Remove(strings.Fields(string(b[ix.redOff:end]))...); err != nil {
		return err
	}
	ix.redOff = end
	return nil
}
