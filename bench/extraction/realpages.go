package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	trafilatura "github.com/markusmobius/go-trafilatura"

	"github.com/parc-archiver/parc/archive"
	"github.com/parc-archiver/parc/extract"
	"github.com/parc-archiver/parc/internal/config"
	parcrun "github.com/parc-archiver/parc/run"
)

// The real-pages mode: labelled real pages of three public test suites
// (shared/data/real-pages-dev, beside a checkout, never in the repo),
// extracted by parc in generic mode (no selectors, the path of `parc
// extract --url`) and by go-trafilatura in the same run, scored per field
// by shared/tools/score-fields.py.

// realSets are the sets of real-pages-dev, in the order printed.
var realSets = []string{"fundus", "htmldate", "trafilatura-eval"}

// halves: each set is split by publisher host, so that rules tuned on
// one half are checked on publishers they were not tuned on.
const (
	halfTune = "tune"
	halfHeld = "held-out"
)

// realTZ is score-fields.py's TZ_MAP (fundus's country codes): the zone a
// page is scored in, given to parc as portal.timezone. Pages of other sets
// (no country) are in realDefaultTZ, as the scorer's default.
var realTZ = map[string]string{
	"vn": "Asia/Ho_Chi_Minh", "de": "Europe/Berlin", "at": "Europe/Vienna", "ch": "Europe/Zurich", "uk": "Europe/London",
	"us": "America/New_York", "ca": "America/Toronto", "fr": "Europe/Paris", "es": "Europe/Madrid", "it": "Europe/Rome",
	"jp": "Asia/Tokyo", "kr": "Asia/Seoul", "cn": "Asia/Shanghai", "tw": "Asia/Taipei", "au": "Australia/Sydney",
	"za": "Africa/Johannesburg", "tr": "Europe/Istanbul", "no": "Europe/Oslo", "se": "Europe/Stockholm", "dk": "Europe/Copenhagen",
	"be": "Europe/Brussels", "lu": "Europe/Luxembourg", "li": "Europe/Vaduz", "pl": "Europe/Warsaw", "cz": "Europe/Prague",
	"pt": "Europe/Lisbon", "ru": "Europe/Moscow", "ua": "Europe/Kyiv", "lt": "Europe/Vilnius", "isl": "Atlantic/Reykjavik",
	"il": "Asia/Jerusalem", "lb": "Asia/Beirut", "ind": "Asia/Kolkata", "id": "Asia/Jakarta", "my": "Asia/Kuala_Lumpur",
	"mx": "America/Mexico_City", "py": "America/Asuncion", "gl": "America/Nuuk", "na": "Africa/Windhoek", "ls": "Africa/Maseru",
	"tz": "Africa/Dar_es_Salaam",
}

const realDefaultTZ = "Europe/Berlin"

// realPage is one labelled page: its truth line as read, and its bytes.
type realPage struct {
	id, url, zone, half string
	truth               []byte
	html                []byte
}

// pred is one line of a PRED.jsonl file: the export record's field names.
type pred struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Published string `json:"published"`
	Byline    string `json:"byline"`
	Body      string `json:"body"`
	Lead      string `json:"lead"`
	Error     string `json:"error,omitempty"`
}

// realSystem extracts one page into a PRED line.
type realSystem struct {
	name string
	run  func(p realPage) pred
}

// realOptions are the real-pages mode's flags.
type realOptions struct {
	data   string // real-pages-dev directory
	out    string // where PRED, truth-half and per-page files go
	scorer string // score-fields.py; "" or absent: no scores
	python string // the interpreter that runs it
}

// realPages runs the real-pages mode and prints its table to w.
func realPages(w io.Writer, o realOptions) error {
	if _, err := os.Stat(o.data); err != nil {
		fmt.Fprintf(w, "\nreal pages: %s not found, skipped (the shared data set beside a checkout)\n", o.data)
		return nil
	}
	scoring, why := scorerReady(o)
	if o.out == "" {
		d, err := os.MkdirTemp("", "parc-realpages-")
		if err != nil {
			return fmt.Errorf("real pages: %w", err)
		}
		o.out = d
	}
	systems, err := realSystems()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nReal pages, generic mode (no selectors), parc | go-trafilatura in the same run; halves by publisher host\n")
	fmt.Fprintf(w, "PRED files, per-half truth and per-page diffs in %s\n", o.out)
	if !scoring {
		fmt.Fprintf(w, "scoring skipped: %s (score the PRED files with score-fields.py --tz-map)\n", why)
	}
	fmt.Fprintf(w, "%-32s  %-11s  %-11s  %-11s  %-11s  %-11s\n", "", "title", "pub. minute", "pub. day", "byline", "body F1")
	fmt.Fprintf(w, "%-17s %-8s %5s%s\n", "set", "half", "pages", strings.Repeat("   parc  traf", 5))
	for _, set := range realSets {
		if err := realSet(w, o, set, systems, scoring); err != nil {
			return fmt.Errorf("real pages %s: %w", set, err)
		}
	}
	return nil
}

// scorerReady reports whether score-fields.py can be run, and why not.
func scorerReady(o realOptions) (bool, string) {
	if o.scorer == "" {
		return false, "no -score script given"
	}
	if _, err := os.Stat(o.scorer); err != nil {
		return false, fmt.Sprintf("%s not found", o.scorer)
	}
	if _, err := exec.LookPath(o.python); err != nil {
		return false, fmt.Sprintf("%s not found", o.python)
	}
	return true, ""
}

// realSet extracts every page of one set with each system, writes the
// PRED files, and scores and prints each half.
func realSet(w io.Writer, o realOptions, set string, systems []realSystem, scoring bool) error {
	dir := filepath.Join(o.data, set)
	pages, err := loadReal(dir)
	if errors.Is(err, fs.ErrNotExist) {
		fmt.Fprintf(w, "%-17s not found in %s, skipped\n", set, o.data)
		return nil
	}
	if err != nil {
		return err
	}
	outDir := filepath.Join(o.out, set)
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return fmt.Errorf("out: %w", err)
	}
	for _, s := range systems {
		preds := make([]pred, len(pages))
		for i, p := range pages {
			preds[i] = s.run(p)
		}
		if err := writeJSONL(filepath.Join(outDir, "pred-"+s.name+".jsonl"), preds); err != nil {
			return err
		}
	}
	for _, half := range []string{halfTune, halfHeld} {
		n, err := writeTruthHalf(filepath.Join(outDir, "truth-"+half+".jsonl"), pages, half)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "%-17s %-8s %5d", set, half, n)
		if scoring {
			if err := printHalf(w, o, outDir, half, systems); err != nil {
				return err
			}
		}
		fmt.Fprintln(w)
	}
	return nil
}

// printHalf scores one half for each system and prints "parc traf" per field.
func printHalf(w io.Writer, o realOptions, outDir, half string, systems []realSystem) error {
	sums := make([]scoreSummary, len(systems))
	for i, s := range systems {
		var err error
		sums[i], err = scoreHalf(o, outDir, half, s.name)
		if err != nil {
			return err
		}
	}
	for _, f := range []func(scoreSummary) *float64{
		func(s scoreSummary) *float64 { return s.Title.Share },
		func(s scoreSummary) *float64 { return s.Minute.Share },
		func(s scoreSummary) *float64 { return s.Day.Share },
		func(s scoreSummary) *float64 { return s.Byline.Share },
		func(s scoreSummary) *float64 { return s.Body.Mean },
	} {
		fmt.Fprint(w, " ")
		for _, s := range sums {
			fmt.Fprintf(w, " %s", share(f(s)))
		}
	}
	return nil
}

func share(v *float64) string {
	if v == nil {
		return "    -"
	}
	return fmt.Sprintf("%.3f", *v)
}

// scoreSummary is the part of score-fields.py --json that is printed.
type scoreSummary struct {
	Title  struct{ Share *float64 } `json:"title"`
	Minute struct{ Share *float64 } `json:"published_minute"`
	Day    struct{ Share *float64 } `json:"published_day"`
	Byline struct{ Share *float64 } `json:"byline"`
	Body   struct{ Mean *float64 }  `json:"body_f1"`
}

// scoreHalf runs score-fields.py on one half's truth and one system's
// PRED file, keeping its per-page comparison beside them.
func scoreHalf(o realOptions, outDir, half, system string) (scoreSummary, error) {
	base := filepath.Join(outDir, system+"-"+half)
	cmd := exec.Command(o.python, o.scorer,
		filepath.Join(outDir, "truth-"+half+".jsonl"), filepath.Join(outDir, "pred-"+system+".jsonl"),
		"--tz-map", "--json", base+".json", "--per-page", base+".per-page.jsonl")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return scoreSummary{}, fmt.Errorf("score-fields.py %s %s: %w: %s", system, half, err, strings.TrimSpace(stderr.String()))
	}
	b, err := os.ReadFile(base + ".json")
	if err != nil {
		return scoreSummary{}, fmt.Errorf("score summary: %w", err)
	}
	var s scoreSummary
	if err := json.Unmarshal(b, &s); err != nil {
		return scoreSummary{}, fmt.Errorf("score summary %s: %w", base, err)
	}
	return s, nil
}

// hostHalf is the half of a publisher's pages: a hash of the URL's host
// (lower case, without "www."), so that a host is on one side only.
func hostHalf(rawURL string) string {
	host := ""
	if u, err := url.Parse(rawURL); err == nil {
		host = strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	}
	h := fnv.New32a()
	h.Write([]byte(host))
	if h.Sum32()%2 == 0 {
		return halfTune
	}
	return halfHeld
}

// loadReal reads a set's truth.jsonl and its pages.
func loadReal(dir string) ([]realPage, error) {
	f, err := os.Open(filepath.Join(dir, "truth.jsonl"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var pages []realPage
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var t struct{ ID, URL, Country string }
		if err := json.Unmarshal(line, &t); err != nil {
			return nil, fmt.Errorf("truth.jsonl: %w", err)
		}
		b, err := readGz(filepath.Join(dir, "html", t.ID+".html.gz"))
		if err != nil {
			return nil, err
		}
		zone := realDefaultTZ
		if z, ok := realTZ[t.Country]; ok {
			zone = z
		}
		pages = append(pages, realPage{id: t.ID, url: t.URL, zone: zone, half: hostHalf(t.URL),
			truth: append([]byte(nil), line...), html: b})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("truth.jsonl: %w", err)
	}
	return pages, nil
}

func writeTruthHalf(path string, pages []realPage, half string) (int, error) {
	var b bytes.Buffer
	n := 0
	for _, p := range pages {
		if p.half == half {
			b.Write(p.truth)
			b.WriteByte('\n')
			n++
		}
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		return 0, fmt.Errorf("truth half: %w", err)
	}
	return n, nil
}

func writeJSONL(path string, preds []pred) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	for _, p := range preds {
		if err := enc.Encode(p); err != nil {
			return fmt.Errorf("pred %s: %w", p.ID, err)
		}
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("pred: %w", err)
	}
	return nil
}

// realSystems are parc generic (as `parc extract --url` runs it, with the
// page's zone as portal.timezone) and go-trafilatura (its own decoding
// of the bytes, comments excluded).
func realSystems() ([]realSystem, error) {
	extractors := map[string]*extract.Extractor{}
	parc := func(p realPage) pred {
		x := extractors[p.zone]
		if x == nil {
			var err error
			if x, err = zoneExtractor(p.zone); err != nil {
				return pred{ID: p.id, Error: err.Error()}
			}
			extractors[p.zone] = x
		}
		return parcPred(x, p)
	}
	traf := func(p realPage) pred {
		u, _ := url.Parse(p.url)
		r, err := trafilatura.Extract(bytes.NewReader(p.html), trafilatura.Options{OriginalURL: u, ExcludeComments: true})
		if err != nil || r == nil {
			return pred{ID: p.id, Error: fmt.Sprint("trafilatura: ", err)}
		}
		out := pred{ID: p.id, Title: r.Metadata.Title, Byline: r.Metadata.Author, Body: r.ContentText}
		if d := r.Metadata.Date; !d.IsZero() {
			out.Published = d.Format(time.RFC3339)
			if d.Hour() == 0 && d.Minute() == 0 && d.Second() == 0 {
				out.Published = d.Format(time.DateOnly)
			}
		}
		return out
	}
	return []realSystem{{"parc", parc}, {"go-trafilatura", traf}}, nil
}

// zoneExtractor is parc's generic extractor for a portal in zone, built
// from a config without selectors as parc extract builds it.
func zoneExtractor(zone string) (*extract.Extractor, error) {
	yaml := fmt.Sprintf("portal:\n  name: real-pages\n  start_urls: [\"http://127.0.0.1:1/\"]\n  timezone: %s\narchive:\n  path: real-pages-unused.db\n", zone)
	cfg, err := config.Parse(strings.NewReader(yaml), "real-pages.yaml")
	if err != nil {
		return nil, fmt.Errorf("config for %s: %w", zone, err)
	}
	return parcrun.Extractor(cfg, false, nil)
}

// parcPred is parc extract's record of p, as its export fields.
func parcPred(x *extract.Extractor, p realPage) pred {
	u, err := url.Parse(p.url)
	if err != nil {
		return pred{ID: p.id, Error: err.Error()}
	}
	in := extract.Input{URL: u, FetchedAt: time.Now()}
	art, err := x.Extract(bytes.NewReader(p.html), in)
	if err != nil {
		return pred{ID: p.id, Error: err.Error()}
	}
	rec, err := archive.RecordOf(archive.Page{URL: p.url, Portal: "real-pages", Article: parcrun.ArchiveArticle(art), FetchedAt: in.FetchedAt})
	if err != nil {
		return pred{ID: p.id, Error: err.Error()}
	}
	return pred{ID: p.id, Title: rec.Title, Published: rec.Published, Byline: rec.Byline, Body: rec.Body, Lead: rec.Lead}
}
