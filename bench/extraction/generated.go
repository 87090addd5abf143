package main

import (
	"bytes"
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

	trafilatura "github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"

	"github.com/parc-archiver/parc/extract"
	"github.com/parc-archiver/parc/extract/template"
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

// fields is what one system extracted from a page.
type fields struct {
	title, byline, body string
	published           time.Time
}

// genSystem extracts the scored fields from one page. A lenient system
// (go-trafilatura) is scored by day for published (its dates have no time
// of day) and whitespace-insensitively for the body (it does not keep
// paragraph breaks).
type genSystem struct {
	name    string
	lenient bool
	run     func(page []byte, ctype string, u *url.URL) fields
}

// genSystems are parc, parc with the portal's template model m (when
// not nil) and go-trafilatura.
func genSystems(loc *time.Location, m *template.Model) ([]genSystem, error) {
	parc, err := parcSystem("parc", extract.Options{Location: loc})
	if err != nil {
		return nil, err
	}
	traf := genSystem{name: "go-trafilatura", lenient: true, run: func(page []byte, _ string, u *url.URL) fields {
		doc, err := html.Parse(bytes.NewReader(page))
		if err != nil {
			return fields{}
		}
		r, err := trafilatura.ExtractDocument(doc, trafilatura.Options{OriginalURL: u, ExcludeComments: true})
		if err != nil || r == nil {
			return fields{}
		}
		return fields{r.Metadata.Title, r.Metadata.Author, r.ContentText, r.Metadata.Date}
	}}
	if m == nil {
		return []genSystem{parc, traf}, nil
	}
	withModel, err := parcSystem("parc+model", extract.Options{Location: loc, Template: m})
	if err != nil {
		return nil, err
	}
	return []genSystem{parc, withModel, traf}, nil
}

// parcSystem is parc's extraction with opts.
func parcSystem(name string, opts extract.Options) (genSystem, error) {
	x, err := extract.New(opts)
	if err != nil {
		return genSystem{}, err
	}
	fetched := time.Date(2024, 4, 19, 2, 30, 0, 0, time.UTC)
	return genSystem{name: name, run: func(page []byte, ctype string, u *url.URL) fields {
		doc, _, err := htmldoc.Parse(page, ctype)
		if err != nil {
			return fields{}
		}
		art, err := x.ExtractDocument(doc, extract.Input{URL: u, FetchedAt: fetched})
		if err != nil {
			return fields{}
		}
		return fields{art.Title, art.Byline, art.Body, art.Published}
	}}, nil
}

// learnedModel is the template model of p's theme learned from the
// first half of its articles, as a crawl learns it from the pages it
// stored before (parc+model is scored on every article).
func learnedModel(p *sim.Portal) (*template.Model, error) {
	l := template.NewLearner()
	truth := p.Truth()
	for _, a := range truth[:len(truth)/2] {
		rec := httptest.NewRecorder()
		p.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, simBase+a.URL, nil))
		doc, _, err := htmldoc.Parse(rec.Body.Bytes(), rec.Header().Get("Content-Type"))
		if err != nil {
			return nil, err
		}
		l.Add(doc.Nodes[0], "sim.parc.test")
	}
	m, _ := l.Model(1, time.Now())
	return m, nil
}

// generatedAccuracy extracts every article of the generated theme of each
// seed with no selectors and prints, per seed, system and field, how many
// are exactly the truth, then parc's failure classes with one example each.
func generatedAccuracy(w io.Writer, seeds []int64, articles int) error {
	fmt.Fprintf(w, "\nGenerated themes (sim --layout generated), %d articles each, no selectors: fields exactly equal to the truth\n", articles)
	fmt.Fprintln(w, "(go-trafilatura: published compared by day, its dates have no time; body compared with whitespace collapsed, it keeps no paragraph breaks)")
	fmt.Fprintf(w, "%-6s %-15s %8s %8s %8s %8s %8s %8s\n", "seed", "system", "title", "publish", "byline", "body", "all", "body F1")
	classes := map[string]*failClass{}
	for _, seed := range seeds {
		p := sim.New(sim.Options{Articles: articles, Seed: seed, Layout: sim.LayoutGenerated})
		cfg, err := config.Parse(strings.NewReader(p.Config(simBase)), "sim.yaml")
		if err != nil {
			return fmt.Errorf("seed %d config: %w", seed, err)
		}
		m, err := learnedModel(p)
		if err != nil {
			return fmt.Errorf("seed %d model: %w", seed, err)
		}
		systems, err := genSystems(cfg.Portal.Location(), m)
		if err != nil {
			return err
		}
		for i, sys := range systems {
			cl := classes
			if i > 0 {
				cl = nil // failure classes are parc's
			}
			sc, err := scoreGenerated(p, seed, sys, cl)
			if err != nil {
				return fmt.Errorf("seed %d: %w", seed, err)
			}
			fmt.Fprintf(w, "%-6d %-15s", seed, sys.name)
			n := float64(len(sc.gold))
			for _, f := range genFields {
				fmt.Fprintf(w, " %7.1f%%", 100*float64(sc.exact[f])/n)
			}
			_, _, f1 := score(sc.gold, sc.bodies)
			fmt.Fprintf(w, " %7.1f%% %8.3f\n", 100*float64(sc.all)/n, f1)
		}
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

// genScore is one system's score on one portal.
type genScore struct {
	exact  map[string]int // field -> articles exactly right
	all    int            // articles with every field right
	gold   []page         // the truth's bodies, for body F1
	bodies []string       // the system's bodies
}

// scoreGenerated counts exact fields of one system on every article of a
// portal; with classes non-nil it also records each failure's class.
func scoreGenerated(p *sim.Portal, seed int64, sys genSystem, classes map[string]*failClass) (genScore, error) {
	sc := genScore{exact: map[string]int{}}
	for _, a := range p.Truth() {
		rec := httptest.NewRecorder()
		p.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, simBase+a.URL, nil))
		if rec.Code != http.StatusOK {
			return sc, fmt.Errorf("%s: status %d", a.URL, rec.Code)
		}
		u, _ := url.Parse(simBase + a.URL)
		got := sys.run(rec.Body.Bytes(), rec.Header().Get("Content-Type"), u)
		sc.gold = append(sc.gold, page{id: a.Key, url: a.URL, gold: a.Body})
		sc.bodies = append(sc.bodies, got.body)
		good := 0
		for _, f := range genFields {
			class := failure(f, &got, &a, sys.lenient)
			if class == "" {
				sc.exact[f]++
				good++
				continue
			}
			if classes == nil {
				continue
			}
			for _, cl := range strings.Split(class, "; ") {
				key := f + ": " + cl
				c := classes[key]
				if c == nil {
					g, wt := diffWindow(value(f, &got), want(f, &a))
					c = &failClass{example: fmt.Sprintf("seed %d %s\n        got  %q\n        want %q", seed, a.URL, g, wt)}
					classes[key] = c
				}
				c.n++
			}
		}
		if good == len(genFields) {
			sc.all++
		}
	}
	if len(sc.gold) == 0 {
		return sc, fmt.Errorf("no articles")
	}
	return sc, nil
}

func value(f string, x *fields) string {
	switch f {
	case "title":
		return x.title
	case "published":
		if x.published.IsZero() {
			return ""
		}
		return x.published.Format(time.RFC3339)
	case "byline":
		return x.byline
	}
	return x.body
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

// sameDay reports whether two instants fall on the same day in Vietnam.
func sameDay(g, w time.Time) bool {
	return g.In(w.Location()).Format(time.DateOnly) == w.Format(time.DateOnly)
}

// failure names the class of a wrong field, "" when it is exact.
func failure(f string, x *fields, a *sim.Article, lenient bool) string {
	g, w := value(f, x), want(f, a)
	switch {
	case f == "published":
		if !x.published.IsZero() && (x.published.Equal(a.Published) || lenient && sameDay(x.published, a.Published)) {
			return ""
		}
	case g == w, lenient && f == "body" && strings.Join(strings.Fields(g), " ") == strings.Join(strings.Fields(w), " "):
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
		return publishedClass(x.published, a.Published)
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
	const credit = "(Ảnh: "
	if strings.Contains(g, credit) && !strings.Contains(w, credit) {
		var kept []string
		for _, p := range strings.Split(g, "\n\n") {
			if !strings.Contains(p, credit) {
				kept = append(kept, p)
			}
		}
		if g = strings.Join(kept, "\n\n"); g == w {
			return "picture caption kept in the body"
		}
		return "picture caption kept in the body; " + bodyClass(g, w, a)
	}
	switch {
	case strings.HasSuffix(g, w):
		return prefixClass(strings.TrimSpace(g[:len(g)-len(w)]), a)
	case strings.HasPrefix(g, w):
		return "trailing byline, sponsor, tags or related text kept"
	case strings.Contains(g, w):
		return "text kept both before and after the body"
	case strings.Contains(w, g):
		return "paragraphs missing (the first taken as the lead, …)"
	}
	// lines before the body glued to its first paragraph
	first, tail, ok := strings.Cut(w, "\n\n")
	if head, glued := strings.CutSuffix(g, "\n\n"+tail); ok && glued && strings.HasSuffix(head, first) {
		pre := strings.TrimSpace(strings.TrimSuffix(head, first))
		return prefixClass(pre, a) + "; lines before the body glued to its first paragraph"
	}
	return "other"
}

// prefixClass names what a body kept before its first paragraph, one
// class per part ("; "-separated), and whether those lines were merged
// into one paragraph.
func prefixClass(prefix string, a *sim.Article) string {
	rest := prefix
	var kept []string
	for _, part := range [][2]string{{"lead", a.Lead}, {"headline", a.Title}, {"byline", a.Byline}, {"category label", a.Category}} {
		if part[1] != "" && strings.Contains(rest, part[1]) {
			kept = append(kept, "kept before the body: "+part[0])
			rest = strings.Replace(rest, part[1], "", 1)
		}
	}
	if strings.TrimSpace(strings.ReplaceAll(rest, "\n\n", " ")) != "" {
		kept = append(kept, "kept before the body: date line or label")
	}
	if len(kept) > 1 && !strings.Contains(prefix, "\n\n") {
		kept = append(kept, "lines before the body merged into one paragraph")
	}
	return strings.Join(kept, "; ")
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
	fmt.Fprintln(w, "parc's failure classes (all seeds; an article can be in several), most frequent first:")
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
