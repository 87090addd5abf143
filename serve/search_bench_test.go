package serve

import (
	"context"
	"testing"
)

// BenchmarkSearchPages: pages of a query every one of 100 000 articles
// matches, from an index in memory, each as a query's first page (its
// counts not kept yet) and as a next page of it.
//
//	go test ./serve -run NONE -bench SearchPages -benchtime 20x
func BenchmarkSearchPages(b *testing.B) {
	ix := memIndex(b, deepRecords(100_000), syncWindow, fullSortMax)
	ctx := context.Background()
	for _, page := range []int{1, 500} {
		q := Query{Text: "hoa chat", Page: page}
		for _, first := range []bool{true, false} {
			name := map[bool]string{true: "first", false: "next"}[first]
			b.Run(name+"/page"+itoa(page), func(b *testing.B) {
				for b.Loop() {
					if first {
						ix.counts = countsCache{}
					}
					if _, err := ix.Search(ctx, q); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
		conj, err := ix.conjuncts(q)
		if err != nil {
			b.Fatal(err)
		}
		b.Run("sort-every-match/page"+itoa(page), func(b *testing.B) {
			for b.Loop() {
				if _, err := ix.page(ctx, and(conj...), q.skip(), q.size(), -1); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
