package serve

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/parc-archiver/parc/archive"
)

// conjuncts are q's filters, every one to match: a term query for each
// word of the text and byline (as the index's analyzer cuts them), then
// portal, category and dates. Flat term queries let bleve intersect
// their posting bitmaps when it need not score (count).
func (ix *Index) conjuncts(q Query) ([]query.Query, error) {
	var must []query.Query
	for field, v := range map[string]string{"text": q.Text, "byline": q.Byline} {
		words, err := ix.words(field, v)
		if err != nil {
			return nil, err
		}
		must = append(must, words...)
	}
	for field, v := range map[string]string{"portal": q.Portal, "category": Fold(q.Category)} {
		if v != "" {
			t := bleve.NewTermQuery(v)
			t.SetField(field)
			must = append(must, t)
		}
	}
	if len(q.Portals) > 0 {
		must = append(must, portalsQuery(q.Portals))
	}
	if !q.From.IsZero() || !q.To.IsZero() {
		must = append(must, publishedRange(q.From, q.To))
	}
	return must, nil
}

// words are the term queries of text's words in field, cut and folded as
// the index's analyzer does; none when text has no word.
func (ix *Index) words(field, text string) ([]query.Query, error) {
	text = Fold(text)
	if len(Terms(text)) == 0 {
		return nil, nil
	}
	a := ix.idx.Mapping().AnalyzerNamed("folded")
	if a == nil {
		return nil, fmt.Errorf("search index: no analyzer %q", "folded")
	}
	var qs []query.Query
	seen := map[string]bool{}
	for _, tok := range a.Analyze([]byte(text)) {
		if w := string(tok.Term); !seen[w] {
			seen[w] = true
			t := bleve.NewTermQuery(w)
			t.SetField(field)
			qs = append(qs, t)
		}
	}
	if len(qs) == 0 { // letters the analyzer keeps no word of: nothing matches, as a match query
		qs = append(qs, bleve.NewMatchNoneQuery())
	}
	return qs, nil
}

// and matches what every one of qs matches; everything when qs is empty.
func and(qs ...query.Query) query.Query {
	switch len(qs) {
	case 0:
		return bleve.NewMatchAllQuery()
	case 1:
		return qs[0]
	}
	return bleve.NewConjunctionQuery(qs...)
}

// publishedRange matches the articles published from from to to (either
// zero: unbounded).
func publishedRange(from, to time.Time) query.Query {
	lo, hi := "", ""
	if !from.IsZero() {
		lo = from.UTC().Format(time.RFC3339)
	}
	if !to.IsZero() {
		hi = to.UTC().Format(time.RFC3339)
	}
	yes := true
	r := bleve.NewTermRangeInclusiveQuery(lo, hi, &yes, &yes)
	r.SetField("published")
	return r
}

// page asks the index for size hits of qq after the first skip, newest
// first; total, when not negative, is the results' total (known already).
func (ix *Index) page(ctx context.Context, qq query.Query, skip, size, total int) (Results, error) {
	req := bleve.NewSearchRequestOptions(qq, size, skip, false)
	req.SortBy([]string{"-newest"}) // published, then id, in one field: sorting by _id loads every hit's stored id
	req.Score = bleve.ScoreNone     // the order is by date: relevance is not computed
	req.Fields = []string{"title", "portal", "category_s", "byline_s", "published_s", "lead"}
	res, err := ix.idx.SearchInContext(ctx, req)
	if err != nil {
		return Results{}, fmt.Errorf("search: %w", err)
	}
	out := Results{Total: int(res.Total)}
	if total >= 0 {
		out.Total = total
	}
	for _, h := range res.Hits {
		str := func(k string) string { v, _ := h.Fields[k].(string); return v }
		out.Hits = append(out.Hits, Hit{ID: h.ID, Title: str("title"), Portal: str("portal"), Category: str("category_s"),
			Byline: str("byline_s"), Published: str("published_s"), Lead: str("lead")})
	}
	return out, nil
}

// find answers q: from the index, brought up to date with the archive
// first and its hits checked against it (a redacted article found is
// taken out of the index and never shown); from the index alone while a
// crawl holds the archive (note says so); by reading every record while
// the index is being built ("indexing"). Only the served portals'
// records are found.
func (s *Server) find(ctx context.Context, q Query) (res Results, note string, err error) {
	q.Portals = s.o.Portals
	ix := s.o.Index
	if ix == nil {
		err = s.o.Source.Use(ctx, func(arc *archive.Archive) error {
			res, err = scanSearch(ctx, arc, q)
			return err
		})
		return res, "", err
	}
	if err := ix.applyRedactions(); err != nil {
		return res, "", err
	}
	current := false
	err = s.o.Source.Use(ctx, func(arc *archive.Archive) error {
		if building, _, _ := ix.Indexing(); !building {
			if current, err = ix.CatchUp(ctx, arc); err != nil {
				return err
			}
		}
		if !current {
			res, err = scanSearch(ctx, arc, q)
			return err
		}
		res, err = s.checked(ctx, arc, ix, q)
		return err
	})
	switch {
	case errors.Is(err, archive.ErrLocked):
		res, err = ix.Search(ctx, q)
		return res, "Kho đang bận (một lượt thu thập đang ghi): kết quả theo chỉ mục, có thể thiếu các bài mới nhất.", err
	case err != nil:
		return res, "", err
	case !current:
		_, at, target := ix.Indexing()
		return res, fmt.Sprintf("Đang lập chỉ mục (indexing) %d/%d: kết quả tìm bằng cách đọc cả kho, chậm hơn.", at, target), nil
	}
	return res, "", nil
}

// checked searches the index and drops, from the index and the results,
// the hits the archive no longer shows (redacted).
func (s *Server) checked(ctx context.Context, arc *archive.Archive, ix *Index, q Query) (Results, error) {
	for range 3 {
		res, err := ix.Search(ctx, q)
		if err != nil {
			return res, err
		}
		var gone []string
		for _, h := range res.Hits {
			hist, err := arc.Get(ctx, h.ID)
			switch {
			case errors.Is(err, archive.ErrNotFound):
				gone = append(gone, h.ID)
			case err != nil:
				return res, err
			case hist.Redacted != nil:
				gone = append(gone, h.ID)
			}
		}
		if len(gone) == 0 {
			return res, nil
		}
		if err := ix.Remove(gone...); err != nil {
			return res, err
		}
	}
	return ix.Search(ctx, q)
}

// KeepIndexed builds the index up to the archive in the background when it
// is missing or behind, retrying while a crawl holds the archive, and once
// up to date waits until a search finds it far behind again (a crawl's
// many new articles, or another archive swapped in), until ctx ends.
// Requests are answered meanwhile.
func (s *Server) KeepIndexed(ctx context.Context) {
	ix := s.o.Index
	if ix == nil {
		return
	}
	for {
		err := ix.Sync(ctx, s.o.Source)
		if ctx.Err() != nil {
			return
		}
		var retry <-chan time.Time
		switch {
		case err == nil:
		case errors.Is(err, archive.ErrLocked):
			retry = time.After(s.o.RetryAfter)
		default:
			s.log.Error("search index not brought up to date", "err", err)
			retry = time.After(s.o.RetryAfter)
		}
		select {
		case <-ctx.Done():
			return
		case <-ix.behind:
		case <-retry:
		}
	}
}
