// Command extraction measures parc's article-body extraction against
// go-trafilatura and go-readability on the extraction-dev split (body
// precision, recall, F1 and pages/s, single core), and times profile
// extraction against go-trafilatura on parc's Vietnamese fixture pages.
//
// Scoring follows the data set's README: tokens are maximal runs of Unicode
// letters, digits and "_"; each text is the multiset of its 4-token
// shingles; per page TP, FP and FN are normalised; precision is averaged
// over pages with a non-empty prediction, recall over all pages; F1 is the
// harmonic mean of the two averages.
//
// The real-pages table (realpages.go) runs parc's generic extraction (a
// config without selectors, the path of `parc extract --url`, each page's
// zone as portal.timezone) and go-trafilatura (defaults, comments
// excluded, its own charset detection) over shared/data/real-pages-dev
// (fundus, htmldate, trafilatura-eval: labelled title, published, byline,
// body), writes each system's PRED.jsonl (the export record's field
// names) and scores it with shared/tools/score-fields.py --tz-map (python3,
// standard library; optional: without it the PRED files are written and
// not scored). Each set is split in two halves by a hash (FNV-1a, even or
// odd) of the publisher's host without "www.": extraction rules are tuned
// on the "tune" half only, and the "held-out" half is printed beside it.
// Absent data is reported and skipped. The per-page comparisons
// (score-fields.py --per-page) are kept in -real-out.
//
// Usage:
//
//	cd bench && go run ./extraction [-data DIR] [-testdata DIR] [-reps N] [-sim N] [-generated SEEDS] [-generated-articles N]
//	    [-real DIR] [-real-out DIR] [-score score-fields.py] [-python python3] [-only dev|sim|real|generated]
//	cd bench && go run ./extraction -generated-only -generated 1,2,3   # per-field exactness on generated themes, with failure classes
//
// (bench/ is a module of its own: go-trafilatura and go-readability stay
// out of parc's go.mod.)
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sort"
	"strings"
	"time"
	"unicode"

	readability "codeberg.org/readeck/go-readability/v2"
	"codeberg.org/readeck/go-readability/v2/render"
	trafilatura "github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"

	"github.com/parc-archiver/parc/extract"
	"github.com/parc-archiver/parc/internal/htmldoc"
)

type page struct {
	id, url string
	gold    string
	html    []byte
}

type system struct {
	name string
	run  func(p page) string
}

func main() {
	data := flag.String("data", "../../shared/data/extraction-dev", "extraction-dev directory (ground-truth.json, html/); the shared data set beside a checkout, not in the repo")
	testdata := flag.String("testdata", "../extract/testdata", "parc's extract/testdata directory (Vietnamese pages; the default is for a run from bench/)")
	reps := flag.Int("reps", 200, "times each Vietnamese page is extracted in the profile timing")
	rounds := flag.Int("rounds", 3, "timed passes over the dev set per system (best kept)")
	simArticles := flag.Int("sim", 500, "articles per layout in the simulated-portal field accuracy table (0 skips it)")
	genSeeds := flag.String("generated", "1,2,3", "comma-separated seeds of the generated themes (sim --layout generated) in the per-field table (empty skips it)")
	genArticles := flag.Int("generated-articles", 200, "articles per generated theme")
	genOnly := flag.Bool("generated-only", false, "print only the generated-theme table (no data set needed): -only generated")
	var ro realOptions
	flag.StringVar(&ro.data, "real", "../../shared/data/real-pages-dev", "real-pages-dev directory (<set>/truth.jsonl, <set>/html/); skipped when absent, \"\" skips it")
	flag.StringVar(&ro.out, "real-out", "", "directory for the real pages' PRED files, per-half truth and per-page diffs (default: a new temporary directory)")
	flag.StringVar(&ro.scorer, "score", "../../shared/tools/score-fields.py", "score-fields.py, which scores the real pages (optional: without it the PRED files are written, not scored)")
	flag.StringVar(&ro.python, "python", "python3", "the Python 3 that runs -score")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of parc generic's timed passes over extraction-dev to `FILE`")
	only := flag.String("only", "", "run one table only: dev, sim, real or generated (default: all)")
	flag.Parse()
	if *genOnly {
		*only = "generated"
	}
	var err error
	if *only == "" || *only == "dev" {
		err = run(*data, *testdata, *reps, *rounds, *cpuProfile, os.Stdout)
	}
	if err == nil && *simArticles > 0 && (*only == "" || *only == "sim") {
		err = fieldAccuracy(os.Stdout, *simArticles)
	}
	if err == nil && *genSeeds != "" && (*only == "" || *only == "generated") {
		var seeds []int64
		if seeds, err = parseSeeds(*genSeeds); err == nil {
			err = generatedAccuracy(os.Stdout, seeds, *genArticles)
		}
	}
	if err == nil && ro.data != "" && (*only == "" || *only == "real") {
		err = realPages(os.Stdout, ro)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "extraction:", err)
		os.Exit(1)
	}
}

func run(data, testdata string, reps, rounds int, cpuProfile string, w io.Writer) error {
	pages, err := loadDev(data)
	if err != nil {
		return err
	}
	generic, err := extract.New(extract.Options{})
	if err != nil {
		return err
	}
	systems := []system{
		{"parc generic", func(p page) string {
			u, _ := url.Parse(p.url)
			doc, _, err := htmldoc.Parse(p.html, "")
			if err != nil {
				return ""
			}
			a, err := generic.ExtractDocument(doc, extract.Input{URL: u})
			if err != nil {
				return ""
			}
			if a.Lead != "" {
				return a.Lead + "\n\n" + a.Body
			}
			return a.Body
		}},
		{"go-trafilatura", func(p page) string {
			u, _ := url.Parse(p.url)
			doc, err := html.Parse(bytes.NewReader(p.html))
			if err != nil {
				return ""
			}
			r, err := trafilatura.ExtractDocument(doc, trafilatura.Options{OriginalURL: u, ExcludeComments: true})
			if err != nil || r == nil {
				return ""
			}
			return r.ContentText
		}},
		{"go-readability", func(p page) string {
			u, _ := url.Parse(p.url)
			doc, err := html.Parse(bytes.NewReader(p.html))
			if err != nil {
				return ""
			}
			rp := readability.NewParser()
			a, err := rp.ParseAndMutate(doc, u)
			if err != nil || a.Node == nil {
				return ""
			}
			return render.InnerText(a.Node)
		}},
	}

	prev := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(prev)
	fmt.Fprintf(w, "extraction-dev: %d pages, GOMAXPROCS=1, best of %d timed passes\n\n", len(pages), rounds)
	fmt.Fprintf(w, "%-16s %9s %9s %9s %10s\n", "system", "precision", "recall", "F1", "pages/s")
	for i, s := range systems {
		preds := make([]string, len(pages))
		best := time.Duration(0)
		var stopProfile func()
		if i == 0 && cpuProfile != "" {
			var err error
			if stopProfile, err = startProfile(cpuProfile); err != nil {
				return err
			}
		}
		for r := 0; r < rounds; r++ {
			runtime.GC()
			start := time.Now()
			for i, p := range pages {
				preds[i] = s.run(p)
			}
			if d := time.Since(start); best == 0 || d < best {
				best = d
			}
		}
		if stopProfile != nil {
			stopProfile()
		}
		pr, rc, f1 := score(pages, preds)
		fmt.Fprintf(w, "%-16s %9.3f %9.3f %9.3f %10.1f\n", s.name, pr, rc, f1, float64(len(pages))/best.Seconds())
	}

	// Profile extraction vs trafilatura on the Vietnamese fixture pages.
	vn := []struct {
		file    string
		profile extract.Profile
		url     string
	}{
		{"seed/page.html", extract.Profile{Title: "div.Title h1", Published: ".PostDate", Body: "div.Content", Remove: []string{"div.OtherNews"}},
			"https://www.vinachem.com.vn/Desktop.aspx/Tin-tuc/Tin-tap-doan/Ban_chi_dao_35/"},
		{"vieapps/page.html", extract.Profile{Title: "div.cms.view.content > h2", Published: "div.cms.view.content div.meta section > span",
			Byline: "div.cms.view.content div.meta span > label", Body: "div.cms.view.content > section", Lead: "div.cms.view.content span.summary",
			Remove: []string{"div.cms.view.internal.relateds", "div.cms.view.external.relateds", "div.cms.view.others"}},
			"https://vinachem.com.vn/nd/tin-tap-doan/vinachem-to-chuc-hoi-nghi-nguoi-lao-dong-nam-2024.html"},
	}
	type vnPage struct {
		x    *extract.Extractor
		body []byte
		u    *url.URL
	}
	var vps []vnPage
	for _, v := range vn {
		b, err := os.ReadFile(filepath.Join(testdata, v.file))
		if err != nil {
			return err
		}
		x, err := extract.New(extract.Options{Profile: v.profile})
		if err != nil {
			return err
		}
		u, _ := url.Parse(v.url)
		vps = append(vps, vnPage{x, b, u})
	}
	timeIt := func(f func(vnPage) error) (float64, error) {
		runtime.GC()
		start := time.Now()
		n := 0
		for r := 0; r < reps; r++ {
			for _, p := range vps {
				if err := f(p); err != nil {
					return 0, err
				}
				n++
			}
		}
		return float64(n) / time.Since(start).Seconds(), nil
	}
	profRate, err := timeIt(func(p vnPage) error {
		doc, _, err := htmldoc.Parse(p.body, "text/html; charset=utf-8")
		if err != nil {
			return err
		}
		_, err = p.x.ExtractDocument(doc, extract.Input{URL: p.u})
		return err
	})
	if err != nil {
		return fmt.Errorf("profile extraction: %w", err)
	}
	genRate, err := timeIt(func(p vnPage) error {
		doc, _, err := htmldoc.Parse(p.body, "text/html; charset=utf-8")
		if err != nil {
			return err
		}
		_, err = generic.ExtractDocument(doc, extract.Input{URL: p.u})
		return err
	})
	if err != nil {
		return fmt.Errorf("generic extraction: %w", err)
	}
	trafRate, err := timeIt(func(p vnPage) error {
		doc, err := html.Parse(bytes.NewReader(p.body))
		if err != nil {
			return err
		}
		_, err = trafilatura.ExtractDocument(doc, trafilatura.Options{OriginalURL: p.u, ExcludeComments: true})
		return err
	})
	if err != nil {
		return fmt.Errorf("trafilatura: %w", err)
	}
	fmt.Fprintf(w, "\nVietnamese fixture pages (%d pages x %d), GOMAXPROCS=1\n", len(vps), reps)
	fmt.Fprintf(w, "%-16s %10s %8s\n", "system", "pages/s", "ratio")
	fmt.Fprintf(w, "%-16s %10.1f %7.1fx\n", "parc profile", profRate, profRate/trafRate)
	fmt.Fprintf(w, "%-16s %10.1f %7.1fx\n", "parc generic", genRate, genRate/trafRate)
	fmt.Fprintf(w, "%-16s %10.1f %7.1fx\n", "go-trafilatura", trafRate, 1.0)
	return nil
}

// startProfile starts a CPU profile into path; stop closes the file.
func startProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

func loadDev(dir string) ([]page, error) {
	raw, err := os.ReadFile(filepath.Join(dir, "ground-truth.json"))
	if err != nil {
		return nil, err
	}
	var gt map[string]struct {
		URL         string `json:"url"`
		ArticleBody string `json:"articleBody"`
	}
	if err := json.Unmarshal(raw, &gt); err != nil {
		return nil, fmt.Errorf("ground truth: %w", err)
	}
	ids := make([]string, 0, len(gt))
	for id := range gt {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	pages := make([]page, 0, len(ids))
	for _, id := range ids {
		b, err := readGz(filepath.Join(dir, "html", id+".html.gz"))
		if err != nil {
			return nil, err
		}
		pages = append(pages, page{id: id, url: gt[id].URL, gold: gt[id].ArticleBody, html: b})
	}
	return pages, nil
}

func readGz(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return io.ReadAll(zr)
}

// shingles is the multiset of 4-token shingles of s.
func shingles(s string) map[string]int {
	toks := strings.FieldsFunc(s, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_')
	})
	m := make(map[string]int)
	if len(toks) == 0 {
		return m
	}
	if len(toks) < 4 {
		m[strings.Join(toks, "\x00")]++
		return m
	}
	for i := 0; i+4 <= len(toks); i++ {
		m[strings.Join(toks[i:i+4], "\x00")]++
	}
	return m
}

func score(pages []page, preds []string) (precision, recall, f1 float64) {
	var pSum, rSum float64
	pN := 0
	for i, p := range pages {
		g, q := shingles(p.gold), shingles(preds[i])
		var tp, fp, fn float64
		for k, c := range q {
			m := min(c, g[k])
			tp += float64(m)
			fp += float64(c - m)
		}
		for k, c := range g {
			fn += float64(c - min(c, q[k]))
		}
		pi, ri := 1.0, 1.0
		if fp != 0 || fn != 0 {
			s := tp + fp + fn
			tp, fp, fn = tp/s, fp/s, fn/s
			pi, ri = 0, 0
			if tp+fp > 0 {
				pi = tp / (tp + fp)
			}
			if tp+fn > 0 {
				ri = tp / (tp + fn)
			}
		}
		if len(q) > 0 {
			pSum += pi
			pN++
		}
		rSum += ri
	}
	if pN > 0 {
		precision = pSum / float64(pN)
	}
	recall = rSum / float64(len(pages))
	if precision+recall > 0 {
		f1 = 2 * precision * recall / (precision + recall)
	}
	return precision, recall, f1
}
