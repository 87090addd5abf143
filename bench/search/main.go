// Command search measures the two candidate search libraries of parc
// serve (issue 19) on the same synthetic Vietnamese articles: bleve and
// SQLite FTS5 through modernc.org/sqlite. It indexes -n articles in
// batches, then answers AND queries (typed with and without diacritics)
// newest first, page 1 and page 500, and prints a Markdown table:
//
//	go run ./search -n 100000
//
// With -parc it measures parc's own search instead: the articles stored in
// an archive, the index built from it by serve.Index.Sync, and the search
// and article pages of serve.Server (go run ./search -parc -n 100000).
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"time"
)

func main() {
	n := flag.Int("n", 100_000, "articles to index")
	batch := flag.Int("batch", 1000, "articles per index batch (transaction)")
	reps := flag.Int("reps", 15, "times each query page is asked")
	parcOnly := flag.Bool("parc", false, "measure parc's own index and pages (serve) instead of the two libraries")
	scoring := flag.Bool("scoring", false, "measure bleve's queries with and without relevance scores, interleaved, on one index")
	profile := flag.String("cpuprofile", "", "write a CPU profile of the page requests of -parc to `FILE`")
	flag.Parse()
	var err error
	if *scoring {
		err = runScoring(os.Stdout, corpus(*n, 19), *batch, *reps)
	} else if *parcOnly {
		err = runParc(os.Stdout, corpus(*n, 19), *reps, *profile)
	} else {
		err = run(os.Stdout, *n, *batch, *reps)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "search:", err)
		os.Exit(1)
	}
}

// queries are asked of both engines; the second of each pair is the first
// typed without diacritics, so both find the same articles.
var queries = []string{"hóa chất", "hoa chat", "đầu tư phát triển", "dau tu phat trien"}

// result is what one engine measured.
type result struct {
	name       string
	indexTime  time.Duration
	bytes      int64
	totals     map[string]int
	page1      map[string][]time.Duration
	page500    map[string][]time.Duration
	page500Len map[string]int
}

func run(w io.Writer, n, batch, reps int) error {
	arts := corpus(n, 19)
	dir, err := os.MkdirTemp("", "parc-search-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	var results []result
	for _, mk := range []func(string) (engine, error){
		func(d string) (engine, error) { return newBleve(d) },
		func(d string) (engine, error) { return newSQLite(d) },
	} {
		e, err := mk(dir)
		if err != nil {
			return err
		}
		r, err := measure(e, arts, batch, reps)
		if cerr := e.close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("%s: %w", e.name(), err)
		}
		results = append(results, r)
	}
	for _, q := range queries {
		if results[0].totals[q] != results[1].totals[q] {
			return fmt.Errorf("query %q: %s finds %d, %s %d", q, results[0].name, results[0].totals[q], results[1].name, results[1].totals[q])
		}
	}
	for i := 0; i+1 < len(queries); i += 2 {
		if a, b := results[0].totals[queries[i]], results[0].totals[queries[i+1]]; a != b || a == 0 {
			return fmt.Errorf("%q finds %d, %q %d: folding is not applied alike", queries[i], a, queries[i+1], b)
		}
	}
	report(w, n, batch, results)
	return nil
}

func measure(e engine, arts []article, batch, reps int) (result, error) {
	r := result{name: e.name(), totals: map[string]int{}, page1: map[string][]time.Duration{}, page500: map[string][]time.Duration{}, page500Len: map[string]int{}}
	start := time.Now()
	for i := 0; i < len(arts); i += batch {
		if err := e.index(arts[i:min(len(arts), i+batch)]); err != nil {
			return r, err
		}
	}
	r.indexTime = time.Since(start)
	var err error
	if r.bytes, err = e.size(); err != nil {
		return r, err
	}
	for _, q := range queries {
		for range reps {
			for _, page := range []int{1, 500} {
				t := time.Now()
				ids, total, err := e.search(q, page)
				if err != nil {
					return r, err
				}
				d := time.Since(t)
				r.totals[q] = total
				if page == 1 {
					r.page1[q] = append(r.page1[q], d)
				} else {
					r.page500[q] = append(r.page500[q], d)
					r.page500Len[q] = len(ids)
				}
			}
		}
	}
	return r, nil
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

func report(w io.Writer, n, batch int, rs []result) {
	fmt.Fprintf(w, "%d articles (~%d words each), batches of %d\n\n", n, 4*40+10, batch)
	fmt.Fprintln(w, "| library | index time | per article | index size | per article |")
	fmt.Fprintln(w, "| --- | --- | --- | --- | --- |")
	for _, r := range rs {
		fmt.Fprintf(w, "| %s | %.1f s | %.0f µs | %.1f MB | %.0f B |\n", r.name, r.indexTime.Seconds(),
			float64(r.indexTime.Microseconds())/float64(n), float64(r.bytes)/1e6, float64(r.bytes)/float64(n))
	}
	fmt.Fprintln(w, "\n| query | matches | library | page 1 (median / max) | page 500 (median / max) |")
	fmt.Fprintln(w, "| --- | --- | --- | --- | --- |")
	for _, q := range queries {
		for _, r := range rs {
			fmt.Fprintf(w, "| %s | %d | %s | %s / %s | %s / %s (%d hits) |\n", q, r.totals[q], r.name,
				ms(median(r.page1[q])), ms(slices.Max(r.page1[q])), ms(median(r.page500[q])), ms(slices.Max(r.page500[q])), r.page500Len[q])
		}
	}
}

// runScoring asks bleve each query page with and without relevance
// scores (Score "none"), alternating, on one index.
func runScoring(w io.Writer, arts []article, batch, reps int) error {
	dir, err := os.MkdirTemp("", "parc-search-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	e, err := newBleve(dir)
	if err != nil {
		return err
	}
	defer e.close()
	for i := 0; i < len(arts); i += batch {
		if err := e.index(arts[i:min(len(arts), i+batch)]); err != nil {
			return err
		}
	}
	fmt.Fprintln(w, "| query | page | scored (median / max) | Score none (median / max) |\n| --- | --- | --- | --- |")
	for _, q := range queries {
		for _, page := range []int{1, 500} {
			var with, without []time.Duration
			for range reps {
				for _, none := range []bool{false, true} {
					e.scoreNone = none
					t := time.Now()
					if _, _, err := e.search(q, page); err != nil {
						return err
					}
					if none {
						without = append(without, time.Since(t))
					} else {
						with = append(with, time.Since(t))
					}
				}
			}
			fmt.Fprintf(w, "| %s | %d | %s / %s | %s / %s |\n", q, page, ms(median(with)), ms(slices.Max(with)), ms(median(without)), ms(slices.Max(without)))
		}
	}
	return nil
}
