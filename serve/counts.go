package serve

import (
	"context"
	"fmt"
	"sort"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// maxFacet bounds the terms a count asks for: portals, months.
const maxFacet = 10_000

// Portals counts the indexed articles per portal and month, the gone ones
// and the newest first_seen, as the home page shows them (without reading
// every record).
func (ix *Index) Portals(ctx context.Context) ([]portalRow, map[string]map[string]int, error) {
	req := bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), 0, 0, false)
	req.AddFacet("portal", bleve.NewFacetRequest("portal", maxFacet))
	res, err := ix.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, nil, fmt.Errorf("search index: %w", err)
	}
	var rows []portalRow
	months := map[string]map[string]int{}
	for _, t := range res.Facets["portal"].Terms.Terms() {
		row, m, err := ix.portal(ctx, t.Term)
		if err != nil {
			return nil, nil, err
		}
		rows = append(rows, row)
		months[t.Term] = m
	}
	if n := res.Facets["portal"].Missing; n > 0 { // records of no portal
		rows = append(rows, portalRow{Articles: n})
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].Name < rows[j].Name })
	return rows, months, nil
}

// portal is one portal's row and months.
func (ix *Index) portal(ctx context.Context, name string) (portalRow, map[string]int, error) {
	q := bleve.NewTermQuery(name)
	q.SetField("portal")
	req := bleve.NewSearchRequestOptions(query.Query(q), 1, 0, false)
	req.SortBy([]string{"-first_seen"})
	req.Score = bleve.ScoreNone
	req.Fields = []string{"first_seen"}
	req.AddFacet("month", bleve.NewFacetRequest("month", maxFacet))
	req.AddFacet("gone", bleve.NewFacetRequest("gone", 2))
	res, err := ix.idx.SearchInContext(ctx, req)
	if err != nil {
		return portalRow{}, nil, fmt.Errorf("search index: %w", err)
	}
	row := portalRow{Name: name, Articles: int(res.Total)}
	if len(res.Hits) > 0 {
		row.Newest, _ = res.Hits[0].Fields["first_seen"].(string)
	}
	for _, t := range res.Facets["gone"].Terms.Terms() {
		row.Gone += t.Count
	}
	months := map[string]int{}
	for _, t := range res.Facets["month"].Terms.Terms() {
		months[t.Term] = t.Count
	}
	return row, months, nil
}
