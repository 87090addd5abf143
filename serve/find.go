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

// Search answers one page of q from the index, newest first.
func (ix *Index) Search(ctx context.Context, q Query) (Results, error) {
	var must []query.Query
	if t := Fold(q.Text); len(Terms(t)) > 0 {
		m := bleve.NewMatchQuery(t)
		m.SetField("text")
		m.SetOperator(query.MatchQueryOperatorAnd)
		must = append(must, m)
	}
	if b := Fold(q.Byline); len(Terms(b)) > 0 {
		m := bleve.NewMatchQuery(b)
		m.SetField("byline")
		m.SetOperator(query.MatchQueryOperatorAnd)
		must = append(must, m)
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
		lo, hi := "", ""
		if !q.From.IsZero() {
			lo = q.From.UTC().Format(time.RFC3339)
		}
		if !q.To.IsZero() {
			hi = q.To.UTC().Format(time.RFC3339)
		}
		yes := true
		r := bleve.NewTermRangeInclusiveQuery(lo, hi, &yes, &yes)
		r.SetField("published")
		must = append(must, r)
	}
	var qq query.Query = bleve.NewMatchAllQuery()
	if len(must) > 0 {
		qq = bleve.NewConjunctionQuery(must...)
	}
	req := bleve.NewSearchRequestOptions(qq, q.size(), (q.Page-1)*q.size(), false)
	req.SortBy([]string{"-newest"}) // published, then id, in one field: sorting by _id loads every hit's stored id
	req.Score = bleve.ScoreNone     // the order is by date: relevance is not computed
	req.Fields = []string{"title", "portal", "category_s", "byline_s", "published_s", "lead"}
	res, err := ix.idx.SearchInContext(ctx, req)
	if err != nil {
		return Results{}, fmt.Errorf("search: %w", err)
	}
	out := Results{Total: int(res.Total)}
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
// is missing or behind, retrying while a crawl holds the archive, until it
// is up to date or ctx ends. Requests are answered meanwhile.
func (s *Server) KeepIndexed(ctx context.Context) {
	ix := s.o.Index
	if ix == nil {
		return
	}
	for {
		err := ix.Sync(ctx, s.o.Source)
		if err == nil || ctx.Err() != nil {
			return
		}
		if !errors.Is(err, archive.ErrLocked) {
			s.log.Error("search index not brought up to date", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(s.o.RetryAfter):
		}
	}
}
