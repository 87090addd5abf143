package main

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/parc-archiver/parc/extract"
	"github.com/parc-archiver/parc/internal/config"
	"github.com/parc-archiver/parc/internal/htmldoc"
	"github.com/parc-archiver/parc/sim"
)

// parseSeeds reads a comma-separated list of seeds ("1,2,3").
func parseSeeds(s string) ([]int64, error) {
	var out []int64
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("seed %q: %w", f, err)
		}
		out = append(out, n)
	}
	return out, nil
}

// genFields are the fields scored on generated themes.
var genFields = []string{"title", "published", "byline", "body"}

// generatedAccuracy extracts every article of the generated theme of each
// seed with no selectors and prints, per seed and field, how many are
// exactly the truth, then each failure class with one example.
func generatedAccuracy(w io.Writer, seeds []int64, articles int) error {
	fmt.Fprintf(w, "\nGenerated themes (sim --layout generated), %d articles each, no selectors: fields exactly equal to the truth\n", articles)
	fmt.Fprintf(w, "%-6s %8s %8s %8s %8s %8s\n", "seed", "title", "publish", "byline", "body", "all")
	classes := map[string]*failClass{}
	for _, seed := range seeds {
		p := sim.New(sim.Options{Articles: articles, Seed: seed, Layout: sim.LayoutGenerated})
		cfg, err := config.Parse(strings.NewReader(p.Config(simBase)), "sim.yaml")
		if err != nil {
			return fmt.Errorf("seed %d config: %w", seed, err)
		}
		x, err := extract.New(extract.Options{Location: cfg.Portal.Location()})
		if err != nil {
			return err
		}
		exact, all, n, err := scoreGenerated(p, seed, x, classes)
		if err != nil {
			return fmt.Errorf("seed %d: %w", seed, err)
		}
		fmt.Fprintf(w, "%-6d", seed)
		for _, f := range genFields {
			fmt.Fprintf(w, " %7.1f%%", 100*float64(exact[f])/float64(n))
		}
		fmt.Fprintf(w, " %7.1f%%\n", 100*float64(all)/float64(n))
	}
	printClasses(w, classes)
	return nil
}

// failClass is one kind of extraction failure: how often, and the first
// example.
type failClass struct {
	n       int
	example string
}

func scoreGenerated(p *sim.Portal, seed int64, x *extract.Extractor, classes map[string]*failClass) (exact map[string]int, all, n int, err error) {
	exact = map[string]int{}
	fetched := time.Date(2024, 4, 19, 2, 30, 0, 0, time.UTC)
	for _, a := range p.Truth() {
		rec := httptest.NewRecorder()
		p.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, simBase+a.URL, nil))
		if rec.Code != http.StatusOK {
			return nil, 0, 0, fmt.Errorf("%s: status %d", a.URL, rec.Code)
		}
		doc, _, err := htmldoc.Parse(rec.Body.Bytes(), rec.Header().Get("Content-Type"))
		if err != nil {
			return nil, 0, 0, fmt.Errorf("%s: %w", a.URL, err)
		}
		u, _ := url.Parse(simBase + a.URL)
		art, err := x.ExtractDocument(doc, extract.Input{URL: u, FetchedAt: fetched})
		if err != nil {
			art = &extract.Article{}
		}
		n++
		good := 0
		for _, f := range genFields {
			class := failure(f, art, &a)
			if class == "" {
				exact[f]++
				good++
				continue
			}
			key := f + ": " + class
			c := classes[key]
			if c == nil {
				g, wt := diffWindow(got(f, art), want(f, &a))
				c = &failClass{example: fmt.Sprintf("seed %d %s\n        got  %q\n        want %q", seed, a.URL, g, wt)}
				classes[key] = c
			}
			c.n++
		}
		if good == len(genFields) {
			all++
		}
	}
	if n == 0 {
		return nil, 0, 0, fmt.Errorf("no articles")
	}
	return exact, all, n, nil
}

func got(f string, art *extract.Article) string {
	switch f {
	case "title":
		return art.Title
	case "published":
		if art.Published.IsZero() {
			return ""
		}
		return art.Published.Format(time.RFC3339)
	case "byline":
		return art.Byline
	}
	return art.Body
}

func want(f string, a *sim.Article) string {
	switch f {
	case "title":
		return a.Title
	case "published":
		return a.Published.Format(time.RFC3339)
	case "byline":
		return a.Byline
	}
	return a.Body
}

// failure names the class of a wrong field, "" when it is exact.
func failure(f string, art *extract.Article, a *sim.Article) string {
	g, w := got(f, art), want(f, a)
	if f == "published" {
		if !art.Published.IsZero() && art.Published.Equal(a.Published) {
			return ""
		}
	} else if g == w {
		return ""
	}
	switch {
	case g == "":
		return "missing"
	case w == "":
		return "found where the page prints none"
	}
	switch f {
	case "title":
		if strings.Contains(g, w) {
			return "site name or other text kept around the headline"
		}
	case "published":
		return publishedClass(art.Published, a.Published)
	case "byline":
		if strings.Contains(g, w) {
			return "label or other text kept around the name"
		}
	case "body":
		return bodyClass(g, w, a)
	}
	return "other"
}

func publishedClass(g, w time.Time) string {
	d := g.Sub(w)
	switch {
	case d%time.Hour == 0 && d.Abs() <= 14*time.Hour:
		return "right wall-clock time, wrong zone"
	case g.Year() == w.Year() && g.YearDay() == w.YearDay():
		return "right day, wrong time of day"
	}
	return "another date (related list, header's today, …)"
}

func bodyClass(g, w string, a *sim.Article) string {
	switch {
	case strings.HasSuffix(g, w):
		if a.Lead != "" && strings.Contains(g[:len(g)-len(w)], a.Lead) {
			return "lead (standfirst) kept at the start"
		}
		return "leading headline, date, category or byline lines kept"
	case strings.HasPrefix(g, w):
		return "trailing byline, sponsor, tags or related text kept"
	case strings.Contains(g, w):
		return "text kept both before and after the body"
	case strings.Contains(w, g):
		return "paragraphs missing"
	}
	firstGot, _, _ := strings.Cut(g, "\n\n")
	if strings.Contains(w, firstGot) {
		return "paragraphs missing or merged"
	}
	return "other (paragraphs merged with page text, or another block)"
}

func printClasses(w io.Writer, classes map[string]*failClass) {
	if len(classes) == 0 {
		return
	}
	keys := make([]string, 0, len(classes))
	for k := range classes {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return classes[keys[i]].n > classes[keys[j]].n })
	fmt.Fprintln(w, "failure classes (all seeds), most frequent first:")
	for _, k := range keys {
		fmt.Fprintf(w, "  %4d  %s\n        e.g. %s\n", classes[k].n, k, classes[k].example)
	}
}

// diffWindow cuts both texts to about 150 bytes around their first
// difference, "…" marking what is cut.
func diffWindow(g, w string) (string, string) {
	k := 0
	for k < len(g) && k < len(w) && g[k] == w[k] {
		k++
	}
	from := max(0, k-60)
	for from > 0 && from < len(g) && !utf8.RuneStart(g[from]) {
		from--
	}
	cut := func(s string) string {
		to := min(len(s), k+90)
		for to < len(s) && !utf8.RuneStart(s[to]) {
			to++
		}
		out := s[min(from, len(s)):to]
		if from > 0 {
			out = "…" + out
		}
		if to < len(s) {
			out += "…"
		}
		return out
	}
	return cut(g), cut(w)
}
