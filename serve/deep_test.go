package serve

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/parc-archiver/parc/record"
)

// memIndex is an Index in memory holding recs, written in batches of
// batch (several segments), whose pages are found from their months once
// a query has more than sortAll matches.
func memIndex(tb testing.TB, recs []record.Record, batch, sortAll int) *Index {
	tb.Helper()
	m, err := indexMapping()
	if err != nil {
		tb.Fatal(err)
	}
	idx, err := newMemIndex(m)
	if err != nil {
		tb.Fatal(err)
	}
	ix := &Index{idx: idx, window: syncWindow, sortAll: sortAll}
	tb.Cleanup(func() { ix.Close() })
	for from := 0; from < len(recs); from += batch {
		b := idx.NewBatch()
		for i := from; i < min(from+batch, len(recs)); i++ {
			if err := b.Index(recs[i].ID, docOf(&recs[i])); err != nil {
				tb.Fatal(err)
			}
		}
		if err := ix.apply(b, "", uint64(from+1)); err != nil {
			tb.Fatal(err)
		}
	}
	return ix
}

// deepRecords are n articles over about 30 months, in a zone east of UTC
// (so some fall in the previous month in UTC), every 13th without a date
// and several sharing a minute; all about hóa chất, every third about đầu
// tư too.
func deepRecords(n int) []record.Record {
	r := rand.New(rand.NewPCG(19, 3))
	ict := time.FixedZone("ICT", 7*3600)
	start := time.Date(2022, 1, 1, 0, 0, 0, 0, ict)
	recs := make([]record.Record, n)
	for i := range recs {
		recs[i] = record.Record{ID: fmt.Sprintf("%016x", r.Uint64()), Title: "Tin hóa chất số " + fmt.Sprint(i), Body: "Nội dung về hóa chất."}
		if i%3 == 0 {
			recs[i].Body += " Đầu tư phát triển."
		}
		if i%13 != 0 {
			recs[i].Published = start.Add(time.Duration(r.IntN(30*30*24*4)) * 15 * time.Minute).Format(time.RFC3339)
		}
	}
	return recs
}

func hitIDs(res Results) []string {
	var ids []string
	for _, h := range res.Hits {
		ids = append(ids, h.ID)
	}
	return ids
}

// A page found from its months holds exactly what sorting every match
// gives, at every depth and page size, across month boundaries, into the
// articles without a date and past the end, with filters beside the
// words; after the index changes, the counts kept for the query are not
// used.
func TestPagesFromMonthsEqualFullSort(t *testing.T) {
	ix := memIndex(t, deepRecords(3000), 500, 50)
	ctx := context.Background()
	check := func(q Query) {
		t.Helper()
		conj, err := ix.conjuncts(q)
		if err != nil {
			t.Fatal(err)
		}
		full, err := ix.page(ctx, and(conj...), q.skip(), q.size(), -1)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ix.Search(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if got.Total != full.Total || !slices.Equal(hitIDs(got), hitIDs(full)) {
			t.Fatalf("%+v: total %d, hits %v; sorting every match: total %d, hits %v", q, got.Total, hitIDs(got), full.Total, hitIDs(full))
		}
	}
	ict := time.FixedZone("ICT", 7*3600)
	pages := 0
	for _, q := range []Query{{Text: "hoa chat"}, {Text: "đầu tư"}, {Text: "số 17"}, {},
		{Text: "hoa chat", From: time.Date(2022, 6, 1, 0, 0, 0, 0, ict), To: time.Date(2023, 2, 14, 0, 0, 0, 0, ict)}} {
		for _, size := range []int{20, 7, 333} {
			for page := 1; (page-2)*size <= 3000; page += 1 + page/12 {
				q.Page, q.Size = page, size
				check(q)
				pages++
			}
		}
	}
	if pages < 200 {
		t.Fatalf("only %d pages checked", pages)
	}
	if n := ix.resorts.Load(); n > 0 {
		t.Errorf("%d pages sorted from every match: their month counts did not add up", n)
	}
	first, err := ix.Search(ctx, Query{Text: "hoa chat", Page: 60})
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Remove(first.Hits[0].ID, first.Hits[5].ID); err != nil {
		t.Fatal(err)
	}
	check(Query{Text: "hoa chat", Page: 60})
	check(Query{Text: "hoa chat", Page: 59})
	after, _ := ix.Search(ctx, Query{Text: "hoa chat", Page: 60})
	if after.Total != first.Total-2 || slices.Contains(hitIDs(after), first.Hits[0].ID) {
		t.Errorf("after removing two: total %d (was %d), hits %v", after.Total, first.Total, hitIDs(after))
	}
	if n := ix.resorts.Load(); n > 0 {
		t.Errorf("after removing two, %d pages sorted from every match", n)
	}
}
