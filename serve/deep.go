package serve

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Sorting every match of a query by date to show 20 of them costs a
// visit of each match's date, and a page deep in the results a heap as
// deep as the page (issue 19: any page under 50 ms at 100 000 articles).
// Counting matches costs far less (no date is read, bleve intersects the
// posting bitmaps), so a page of a query with many matches is found in
// two steps: its matches are counted per month, newest month first, down
// to the month that holds the page's last result (kept for the index's
// generation, so the query's next pages count no month twice); the page
// is then sorted from the months that hold it only.

// fullSortMax is the most matches a query may have for its pages to be
// found by sorting every match, which is then cheaper than counting.
const fullSortMax = 4096

// undatedMonth is the newest_month of an article without a date: below
// every month, as such articles sort below every dated one.
const undatedMonth = "-"

// countsCacheSize bounds the queries whose counts are kept.
const countsCacheSize = 64

// monthCount is how many matches of a query fall in one month (UTC,
// "2006-01", or undatedMonth).
type monthCount struct {
	month string
	n     int
}

// matchCounts are a query's matches, in all and per month, as the index
// was at generation gen: months holds the months with matches among the
// first walked of the index's months (newest first), counted their sum.
type matchCounts struct {
	gen     uint64
	total   int
	months  []monthCount
	walked  int
	counted int
}

// countsCache keeps the counts of the queries asked lately, and the
// index's months.
type countsCache struct {
	mu        sync.Mutex
	m         map[string]matchCounts
	months    []string // the index's months, newest first
	monthsGen uint64
}

func (c *countsCache) get(key string, gen uint64) (matchCounts, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	mc, ok := c.m[key]
	mc.months = slices.Clip(mc.months) // the caller's appends never reach the kept array
	return mc, ok && mc.gen == gen
}

func (c *countsCache) put(key string, mc matchCounts) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= countsCacheSize {
		c.m = make(map[string]matchCounts, countsCacheSize)
	}
	c.m[key] = mc
}

// Search answers one page of q from the index, newest first.
func (ix *Index) Search(ctx context.Context, q Query) (Results, error) {
	conj, err := ix.conjuncts(q)
	if err != nil {
		return Results{}, err
	}
	skip, size := q.skip(), q.size()
	key, gen := countsKey(q), ix.gen.Load()
	mc, ok := ix.counts.get(key, gen)
	if !ok {
		total, err := ix.count(ctx, and(conj...))
		if err != nil {
			return Results{}, err
		}
		mc = matchCounts{gen: gen, total: total}
	}
	switch {
	case mc.total <= ix.sortAll:
		return ix.page(ctx, and(conj...), skip, size, -1)
	case skip >= mc.total:
		return Results{Total: mc.total}, nil
	}
	if mc, err = ix.walk(ctx, conj, mc, skip+size); err != nil {
		return Results{}, err
	}
	ix.counts.put(key, mc)
	return ix.fromMonths(ctx, conj, mc, skip, size)
}

// walk counts conj's matches in the index's next months until they hold
// need matches or every month is counted.
func (ix *Index) walk(ctx context.Context, conj []query.Query, mc matchCounts, need int) (matchCounts, error) {
	months, err := ix.months(mc.gen)
	if err != nil {
		return mc, err
	}
	for ; mc.counted < need && mc.walked < len(months); mc.walked++ {
		m := months[mc.walked]
		n, err := ix.count(ctx, and(append(slices.Clip(conj), monthQuery(m))...))
		if err != nil {
			return mc, err
		}
		if n > 0 {
			mc.months = append(mc.months, monthCount{month: m, n: n})
			mc.counted += n
		}
	}
	return mc, nil
}

// fromMonths sorts the page after skip from the months of mc that hold
// it. Counts that do not add up (the index changed under the count)
// sort every match instead.
func (ix *Index) fromMonths(ctx context.Context, conj []query.Query, mc matchCounts, skip, size int) (Results, error) {
	var months []query.Query
	before, seen, in := 0, 0, 0
	for _, m := range mc.months {
		if seen >= skip+size {
			break
		}
		if seen+m.n > skip {
			if len(months) == 0 {
				before = seen
			}
			months = append(months, monthQuery(m.month))
			in += m.n
		}
		seen += m.n
	}
	all := and(conj...)
	if len(months) == 0 {
		return ix.page(ctx, all, skip, size, -1)
	}
	res, err := ix.page(ctx, and(append(slices.Clip(conj), bleve.NewDisjunctionQuery(months...))...), skip-before, size, -1)
	if err != nil || res.Total != in {
		ix.resorts.Add(1)
		return ix.page(ctx, all, skip, size, -1)
	}
	res.Total = mc.total
	return res, nil
}

// count is how many documents match qq.
func (ix *Index) count(ctx context.Context, qq query.Query) (int, error) {
	req := bleve.NewSearchRequestOptions(qq, 0, 0, false)
	req.Score = bleve.ScoreNone
	res, err := ix.idx.SearchInContext(ctx, req)
	if err != nil {
		return 0, fmt.Errorf("search: %w", err)
	}
	return int(res.Total), nil
}

// months are the index's months (newest_month terms), newest first, as
// of generation gen.
func (ix *Index) months(gen uint64) ([]string, error) {
	c := &ix.counts
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.months != nil && c.monthsGen == gen {
		return c.months, nil
	}
	d, err := ix.idx.FieldDict("newest_month")
	if err != nil {
		return nil, fmt.Errorf("search index months: %w", err)
	}
	defer d.Close()
	months := []string{}
	for {
		e, err := d.Next()
		if err != nil {
			return nil, fmt.Errorf("search index months: %w", err)
		}
		if e == nil {
			break
		}
		months = append(months, e.Term)
	}
	slices.SortFunc(months, func(a, b string) int { return strings.Compare(b, a) })
	c.months, c.monthsGen = months, gen
	return months, nil
}

func monthQuery(month string) query.Query {
	t := bleve.NewTermQuery(month)
	t.SetField("newest_month")
	return t
}

// countsKey identifies q's matches, whatever page is asked.
func countsKey(q Query) string {
	return fmt.Sprintf("%q %q %q %q %d %d %q", Fold(q.Text), q.Portal, Fold(q.Category), Fold(q.Byline),
		q.From.Unix(), q.To.Unix(), q.Portals)
}
