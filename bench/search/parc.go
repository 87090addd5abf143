package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strconv"
	"time"

	"github.com/parc-archiver/parc/archive"
	"github.com/parc-archiver/parc/serve"
)

// runParc measures parc's own search as parc serve runs it: the articles
// stored in an archive, the index beside it built by serve.Index.Sync from
// the archive (parc's mapping, stored display fields included), and the
// search page and an article page answered by serve.Server over
// serve.Opener, which opens the archive for each request. With cpuProfile
// set, the page requests' CPU profile is written there.
func runParc(w io.Writer, arts []article, reps int, cpuProfile string) error {
	dir, err := os.MkdirTemp("", "parc-search-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "parc.db")
	start := time.Now()
	if err := store(path, arts); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nparc: %d articles stored in %.1f s\n\n", len(arts), time.Since(start).Seconds())
	ix, err := serve.OpenIndex(path, nil)
	if err != nil {
		return err
	}
	defer ix.Close()
	src := &serve.Opener{Path: path}
	start = time.Now()
	if err := ix.Sync(context.Background(), src); err != nil {
		return err
	}
	took := time.Since(start)
	size, err := dirSize(serve.IndexPath(path))
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "| index build (Sync from the archive) | per article | index size | per article |\n| --- | --- | --- | --- |\n")
	fmt.Fprintf(w, "| %.1f s | %.0f µs | %.1f MB | %.0f B |\n\n", took.Seconds(), float64(took.Microseconds())/float64(len(arts)),
		float64(size)/1e6, float64(size)/float64(len(arts)))
	s, err := serve.New(serve.Options{Source: src, Index: ix})
	if err != nil {
		return err
	}
	srv := httptest.NewServer(s)
	defer srv.Close()
	if cpuProfile != "" {
		f, err := os.Create(cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	fmt.Fprintln(w, "| page | median | max |\n| --- | --- | --- |")
	pages := []string{"/articles/" + idOf(path, arts[len(arts)/2]), "/"}
	for _, q := range queries {
		pages = append(pages, "/search?q="+url.QueryEscape(q), "/search?q="+url.QueryEscape(q)+"&page=500")
	}
	for _, p := range pages {
		ds, err := timeGet(srv.URL+p, reps)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "| `%s` | %s | %s |\n", p, ms(median(ds)), ms(slices.Max(ds)))
	}
	for i, page := range []int{1, 500} {
		ds, err := coldPages(srv.URL, reps, i*reps, page)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "| page %d of %d other queries, each asked once | %s | %s |\n", page, len(ds), ms(median(ds)), ms(slices.Max(ds)))
	}
	return nil
}

// coldPages asks one page of n queries of two common words, the first
// pairs words[from], words[from+n], each once: the pages above ask each
// query again and again, so what a query's first page costs, which
// counts its matches (kept, so that its next pages do not count them
// again), shows only here.
func coldPages(base string, n, from, page int) ([]time.Duration, error) {
	var ds []time.Duration
	for i := from; i < from+n; i++ {
		q := words[i] + " " + words[i+n]
		d, err := timeGet(base+"/search?q="+url.QueryEscape(q)+"&page="+strconv.Itoa(page), 1)
		if err != nil {
			return nil, err
		}
		ds = append(ds, d...)
	}
	return ds, nil
}

// store writes arts into a new archive at path.
func store(path string, arts []article) error {
	arc, err := archive.Open(path, archive.Options{NoSync: true})
	if err != nil {
		return err
	}
	wr := arc.NewWriter(archive.WriterOptions{})
	ctx := context.Background()
	at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range arts {
		a := &arts[i]
		pub, err := time.Parse(time.RFC3339, a.Published)
		if err != nil {
			return err
		}
		p := archive.Page{URL: "https://portal.example/tin/" + a.ID + ".html", Portal: a.Portal, FetchedAt: at,
			Article: &archive.Article{Title: a.Title, Body: a.Body, Byline: a.Byline, Category: a.Category, Published: pub, Extraction: "profile"}}
		if err := wr.Submit(ctx, p); err != nil {
			return err
		}
	}
	if err := wr.Close(); err != nil {
		return err
	}
	return arc.Close()
}

// idOf is the record id of a stored synthetic article.
func idOf(path string, a article) string {
	arc, err := archive.Open(path, archive.Options{ReadOnly: true})
	if err != nil {
		return "0000000000000000"
	}
	defer arc.Close()
	h, err := arc.Get(context.Background(), "https://portal.example/tin/"+a.ID+".html")
	if err != nil {
		return "0000000000000000"
	}
	return h.Record.ID
}

func timeGet(u string, reps int) ([]time.Duration, error) {
	var ds []time.Duration
	for range reps {
		t := time.Now()
		resp, err := http.Get(u)
		if err != nil {
			return nil, err
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err != nil {
			return nil, err
		}
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("%s: %s", u, resp.Status)
		}
		ds = append(ds, time.Since(t))
	}
	return ds, nil
}
