package main

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"time"

	"github.com/parc-archiver/parc/extract"
	"github.com/parc-archiver/parc/internal/config"
	"github.com/parc-archiver/parc/internal/htmldoc"
	"github.com/parc-archiver/parc/sim"
)

// simBase is the origin the simulated pages are rendered for; nothing is
// fetched over the network, the portal's handler is called directly.
const simBase = "http://sim.parc.test"

// fieldAccuracy renders every article of a simulated portal in each layout,
// extracts it with the portal's shipped profile and with no selectors at all
// (zero-config mode), and prints the share of articles whose title,
// published, byline and body equal the simulator's truth exactly.
func fieldAccuracy(w io.Writer, articles int) error {
	fmt.Fprintf(w, "\nSimulated portal, %d articles per layout: fields exactly equal to the truth\n", articles)
	fmt.Fprintf(w, "%-10s %-12s %8s %8s %8s %8s %8s %9s\n", "layout", "selectors", "title", "publish", "byline", "body", "all", "fallback")
	// The redesign is a theme with none of the vendor classes: the shipped
	// profile's selectors stop matching and extraction must fall back.
	for _, layout := range []sim.Layout{sim.LayoutVIEPortal, sim.LayoutVIEApps, sim.LayoutMixed, sim.LayoutRedesign} {
		p := sim.New(sim.Options{Articles: articles, Seed: 11, Layout: layout})
		if layout == sim.LayoutRedesign {
			p = sim.New(sim.Options{Articles: articles, Seed: 11})
			p.SetLayout(layout)
		}
		cfg, err := config.Parse(strings.NewReader(p.Config(simBase)), "sim.yaml")
		if err != nil {
			return fmt.Errorf("sim config: %w", err)
		}
		for _, mode := range []string{"profile", "none"} {
			opts := extract.Options{Location: cfg.Portal.Location()}
			if mode == "profile" {
				s := cfg.Portal.Selectors
				opts.Profile = extract.Profile{
					Title: s.Title, Published: s.Published, Modified: s.Modified, Byline: s.Byline, Body: s.Body,
					Category: s.Category, Lead: s.Lead, Tags: s.Tags, Remove: s.Remove,
				}
			}
			x, err := extract.New(opts)
			if err != nil {
				return err
			}
			acc, err := scoreSim(p, x)
			if err != nil {
				return fmt.Errorf("%s/%s: %w", layout, mode, err)
			}
			fmt.Fprintf(w, "%-10s %-12s", layout, mode)
			for _, f := range []string{"title", "published", "byline", "body", "all", "fallback"} {
				fmt.Fprintf(w, " %7.1f%%", 100*float64(acc.exact[f])/float64(acc.n))
			}
			fmt.Fprintln(w)
			for _, m := range acc.misses {
				fmt.Fprintf(w, "    miss: %s\n", m)
			}
		}
	}
	return nil
}

type simScore struct {
	n      int
	exact  map[string]int
	misses []string // the first few mismatches, to see why
}

func scoreSim(p *sim.Portal, x *extract.Extractor) (simScore, error) {
	s := simScore{exact: map[string]int{}}
	fetched := time.Date(2024, 4, 19, 2, 30, 0, 0, time.UTC)
	for _, a := range p.Truth() {
		rec := httptest.NewRecorder()
		p.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, simBase+a.URL, nil))
		if rec.Code != http.StatusOK {
			return s, fmt.Errorf("%s: status %d", a.URL, rec.Code)
		}
		doc, _, err := htmldoc.Parse(rec.Body.Bytes(), rec.Header().Get("Content-Type"))
		if err != nil {
			return s, fmt.Errorf("%s: %w", a.URL, err)
		}
		u, _ := url.Parse(simBase + a.URL)
		art, err := x.ExtractDocument(doc, extract.Input{URL: u, FetchedAt: fetched})
		if err != nil {
			art = &extract.Article{} // counted as wrong in every field
		}
		s.n++
		ok := map[string]bool{
			"title":     art.Title == a.Title,
			"published": art.Published.Equal(a.Published),
			"byline":    art.Byline == a.Byline,
			"body":      art.Body == a.Body,
			"fallback":  art.Extraction == extract.MethodFallback,
		}
		all := ok["title"] && ok["published"] && ok["byline"] && ok["body"]
		ok["all"] = all
		for f, good := range ok {
			if good {
				s.exact[f]++
			}
		}
		if !all && len(s.misses) < 3 {
			s.misses = append(s.misses, fmt.Sprintf("%s title=%v published=%v byline=%v(%q) body=%v",
				a.URL, ok["title"], ok["published"], ok["byline"], art.Byline, ok["body"]))
		}
	}
	if s.n == 0 {
		return s, fmt.Errorf("no articles")
	}
	return s, nil
}
