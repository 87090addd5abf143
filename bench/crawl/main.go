// Command crawl is parc's benchmark suite (issue 8): it serves the
// simulated portal (package sim) in a child process and measures, in one
// run on one machine, the machine's ceiling (a plain net/http fetch loop
// and a goquery parse), parc crawl as a child process, wget and wget2
// mirroring the same portal, memory and archive size at several archive
// sizes with an incremental no-change recrawl, extraction rates, and
// JSON Lines / CSV export against dd. It prints one Markdown table.
//
// Usage (bench/run builds the binaries and passes them):
//
//	crawl -parc PATH [-baseline PATH] [-articles N] [-scale 2000,20000] [-runs 3] [-parallelism 8] [-work DIR]
//
// With -baseline (an older parc binary), the parc crawl and export rows
// measure both binaries, their runs interleaved, and a last section gives
// new/old of the medians.
//
// Every figure of a row measured several times is shown as
// min / median / max; ratios use medians.
package main

import (
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/parc-archiver/parc/bench/internal/childproc"
)

func main() {
	serveMode := flag.Bool("serve", false, "internal: serve the simulated portal (child process)")
	config := flag.String("config", "", "internal (-serve): write the parc config here")
	parcBin := flag.String("parc", "", "parc binary to measure (required)")
	baseline := flag.String("baseline", "", "an older parc binary to compare the crawl and export rows with (runs interleaved)")
	articles := flag.Int("articles", 5000, "articles on the portal for the crawl, ceiling and peer comparison")
	scale := flag.String("scale", "2000,20000", "comma-separated archive sizes for the scale rows (the largest is exported)")
	runs := flag.Int("runs", 3, "repetitions of the cheap measurements (min/median/max)")
	par := flag.Int("parallelism", 8, "requests in flight: parc crawl.parallelism, fetch loop workers, wget2 threads")
	work := flag.String("work", "", "working directory (default: a new temporary directory, removed at the end)")
	flag.Parse()
	if *serveMode {
		if err := serve(*articles, 1, *par, *config); err != nil {
			fmt.Fprintln(os.Stderr, "sim:", err)
			os.Exit(1)
		}
		return
	}
	var sizes []int
	for _, s := range strings.Split(*scale, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			fmt.Fprintf(os.Stderr, "crawl: -scale %q: want sizes like 2000,20000\n", *scale)
			os.Exit(2)
		}
		sizes = append(sizes, n)
	}
	if *parcBin == "" {
		fmt.Fprintln(os.Stderr, "crawl: -parc PATH is required (bench/run builds it)")
		os.Exit(2)
	}
	b := &bench{parc: absPath(*parcBin), baseline: absPath(*baseline), articles: *articles, sizes: sizes, runs: max(1, *runs), par: *par, out: os.Stdout, log: os.Stderr}
	if b.baseline != "" {
		b.baselineName = versionOf(b.baseline)
	}
	dir := absPath(*work)
	if dir == "" {
		d, err := os.MkdirTemp("", "parc-bench-")
		if err != nil {
			fmt.Fprintln(os.Stderr, "crawl:", err)
			os.Exit(1)
		}
		defer os.RemoveAll(d)
		dir = d
	}
	b.dir = dir
	if err := b.run(); err != nil {
		fmt.Fprintln(os.Stderr, "crawl:", err)
		os.Exit(1)
	}
}

type bench struct {
	parc     string
	baseline string // -baseline: the old parc binary, or ""
	self     string
	dir      string
	articles int
	sizes    []int
	runs     int
	par      int
	out, log io.Writer
	rows     []row

	baselineName string // its version and path
	summary      []row  // the baseline rows, printed last
}

// absPath is p made absolute ("" stays ""): the children run in the
// working directory.
func absPath(p string) string {
	if p == "" {
		return ""
	}
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return p
}

// row is one line of the table: vals are the measurements (one per run).
type row struct {
	section, what string
	vals          []float64
	unit          string
	note          string
}

func (b *bench) add(section, what, unit, note string, vals ...float64) {
	b.rows = append(b.rows, row{section, what, vals, unit, note})
}

func (b *bench) logf(format string, args ...any) {
	fmt.Fprintf(b.log, "bench: "+format+"\n", args...)
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}

func (b *bench) run() error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	b.self = self
	start := time.Now()
	if err := b.compare(); err != nil {
		return err
	}
	db, cfg, err := b.scaleRows()
	if err != nil {
		return err
	}
	if err := b.export(db, cfg); err != nil {
		return err
	}
	b.rows = append(b.rows, b.summary...)
	b.print(time.Since(start))
	return nil
}

var pagesFetched = regexp.MustCompile(`crawl: (\d+) pages fetched, (\d+) new`)

// crawlOnce runs parc crawl (the binary parc) as a child into db and
// returns its cost and the portal's request count.
func (b *bench) crawlOnce(s *simProc, parc, db string, extra ...string) (childproc.Cost, int64, int64, error) {
	before, err := s.stats()
	if err != nil {
		return childproc.Cost{}, 0, 0, err
	}
	c, err := childproc.Run(childproc.Options{Dir: b.dir, GCTrace: true}, parc, append([]string{"crawl", "--config", s.config, "--archive", db}, extra...)...)
	if err != nil {
		return c, 0, 0, err
	}
	after, err := s.stats()
	if err != nil {
		return c, 0, 0, err
	}
	if !pagesFetched.MatchString(c.Stderr) {
		return c, 0, 0, fmt.Errorf("parc crawl printed no summary:\n%s", childproc.Tail(c.Stderr, 2000))
	}
	return c, after.Total - before.Total, after.Listing - before.Listing, nil
}

// compare measures the ceiling, extraction, parc crawl and the peers on
// one portal of b.articles articles.
func (b *bench) compare() error {
	n := b.articles
	s, err := startSim(b.self, n, b.par, filepath.Join(b.dir, "compare.yaml"))
	if err != nil {
		return err
	}
	defer s.stop()
	urls, err := s.articleURLs()
	if err != nil {
		return err
	}
	sec := fmt.Sprintf("ceiling (%d articles, %d workers)", len(urls), b.par)
	var pps, cpu, conns []float64
	var samples [][]byte
	for i := range b.runs {
		b.logf("fetch loop run %d/%d", i+1, b.runs)
		r, err := fetchAll(urls, b.par, 300)
		if err != nil {
			return fmt.Errorf("fetch loop: %w", err)
		}
		pps = append(pps, float64(r.pages)/r.wall.Seconds())
		cpu = append(cpu, float64(r.cpu.Microseconds())/1000/float64(r.pages))
		conns = append(conns, float64(r.conns))
		samples = r.samples
	}
	fetchPPS, fetchCPU := median(pps), median(cpu)
	b.add(sec, "net/http fetch loop", "pages/s", "keep-alive, body read, no parse", pps...)
	b.add(sec, "net/http fetch loop", "CPU-ms/page", "client process only", cpu...)
	b.add(sec, "net/http fetch loop", "TCP conns", "", conns...)

	b.logf("parse and extraction ceilings on %d pages", len(samples))
	var parse, prof, gen, traf []rate
	for range b.runs {
		p, err := parseRate(samples, time.Second)
		if err != nil {
			return err
		}
		parse = append(parse, p)
		pr, ge, tr, err := extractRates(samples[:min(len(samples), 100)], s.base, time.Second)
		if err != nil {
			return fmt.Errorf("extraction: %w", err)
		}
		prof, gen, traf = append(prof, pr), append(gen, ge), append(traf, tr)
	}
	field := func(rs []rate, cpu bool) []float64 {
		var v []float64
		for _, r := range rs {
			if cpu {
				v = append(v, r.cpuMS)
			} else {
				v = append(v, r.pps)
			}
		}
		return v
	}
	b.add(sec, "goquery parse", "pages/s/core", "one goroutine", field(parse, false)...)
	b.add(sec, "goquery parse", "CPU-ms/page", "", field(parse, true)...)
	esec := "extraction (sim pages, one goroutine, parse included)"
	b.add(esec, "parc profile", "pages/s", fmt.Sprintf("%.1fx go-trafilatura", median(field(prof, false))/median(field(traf, false))), field(prof, false)...)
	b.add(esec, "parc generic", "pages/s", fmt.Sprintf("%.1fx go-trafilatura", median(field(gen, false))/median(field(traf, false))), field(gen, false)...)
	b.add(esec, "go-trafilatura", "pages/s", "", field(traf, false)...)
	profCPU := median(field(prof, true))
	b.add(esec, "parc profile", "CPU-ms/page", "", field(prof, true)...)
	ceilCPU := fetchCPU + profCPU
	b.add(sec, "fetch + parse + profile extraction", "CPU-ms/page", "sum of the medians: parc's floor", ceilCPU)

	cur, err := b.crawlRows(s, fetchPPS, ceilCPU)
	if err != nil {
		return err
	}
	cwall, ccov := cur.wall, cur.cov

	// Peers fetch what parc fetches: the home page, listings and
	// articles, honouring robots.txt, without a depth limit; print views
	// and assets (stylesheets, images: 404 on the sim) are rejected.
	// Tracking-parameter variants are not: some articles are linked only
	// through them, and a peer that rejects them misses those articles
	// (parc strips the parameters instead). wget and wget2 request every
	// letter-case and tracking variant of a link, and wget2 requests a
	// rejected page before it drops it, so "requests" differ; the time to
	// cover the portal is the comparable figure, and "articles covered"
	// (the sim counts the distinct articles served) says whether a peer
	// did cover it. --tries 1: wget2 otherwise retries for minutes a link
	// to the same host on port 80 that the pages carry.
	psec := "peers (same portal, robots.txt honoured)"
	reject := `print=1|/Admin/|/_themes/|/_assets/|/files/|/Portals/|/tags/`
	peers := []struct {
		name string
		bin  string
		args func(dir string) []string
	}{
		{"wget -r", "wget", func(dir string) []string {
			return []string{"-r", "-l", "inf", "-np", "-q", "--tries", "1", "-P", dir, "--reject-regex", reject, s.base + "/"}
		}},
		{"wget2 -r", "wget2", func(dir string) []string {
			return []string{"-r", "-l", "inf", "-np", "-q", "--tries", "1", "--max-threads", strconv.Itoa(b.par), "-P", dir, "--reject-regex", reject, s.base + "/"}
		}},
	}
	b.add(psec, "parc crawl", "articles covered", fmt.Sprintf("of %d", n), ccov...)
	b.add(psec, "parc crawl", "s to cover the portal", "", cwall...)
	for _, p := range peers {
		bin, err := exec.LookPath(p.bin)
		if err != nil {
			b.add(psec, p.name, "pages/s", "n/a: "+p.bin+" not installed")
			continue
		}
		var v, walls, reqs, arts, cov []float64
		for i := range b.runs {
			b.logf("%s run %d/%d", p.name, i+1, b.runs)
			dir := filepath.Join(b.dir, fmt.Sprintf("mirror-%s-%d", p.bin, i))
			before, err := s.stats()
			if err != nil {
				return err
			}
			if _, err := s.coverage(); err != nil {
				return err
			}
			c, err := childproc.Run(childproc.Options{Dir: b.dir}, bin, p.args(dir)...)
			// wget exits 8 when some request answered an error status
			// (robots-disallowed drafts, 404s): still a complete run.
			if err != nil && !strings.Contains(err.Error(), "exit status 8") {
				return err
			}
			after, err := s.stats()
			if err != nil {
				return err
			}
			covered, err := s.coverage()
			if err != nil {
				return err
			}
			cov = append(cov, float64(covered))
			os.RemoveAll(dir)
			r := float64(after.Total - before.Total)
			v = append(v, r/c.Wall.Seconds())
			walls = append(walls, c.Wall.Seconds())
			reqs = append(reqs, r)
			arts = append(arts, float64(after.Article-after.Print-(before.Article-before.Print)))
		}
		b.add(psec, p.name, "pages/s", fmt.Sprintf("%.0f requests, %.0f article pages per run", median(reqs), median(arts)), v...)
		b.add(psec, p.name, "articles covered", fmt.Sprintf("of %d", n), cov...)
		note := fmt.Sprintf("parc/peer speed %.2fx (target >= 1.5x wget)", median(walls)/median(cwall))
		if slices.Min(cov) < slices.Min(ccov) {
			note += "; it missed articles parc fetched: not comparable"
		}
		b.add(psec, p.name, "s to cover the portal", note, walls...)
	}
	return nil
}

// scaleRows crawls portals of each size into fresh archives, recrawls them
// unchanged, and returns the largest archive and its config for export.
func (b *bench) scaleRows() (db, cfg string, err error) {
	sec := "scale (one crawl per size, then an unchanged recrawl)"
	for _, n := range b.sizes {
		s, err := startSim(b.self, n, b.par, filepath.Join(b.dir, fmt.Sprintf("scale-%d.yaml", n)))
		if err != nil {
			return "", "", err
		}
		db = filepath.Join(b.dir, fmt.Sprintf("scale-%d.db", n))
		cfg = s.config
		b.logf("scale: crawl %d articles", n)
		c, reqs, _, err := b.crawlOnce(s, b.parc, db)
		if err != nil {
			s.stop()
			return "", "", err
		}
		b.logf("scale: recrawl %d articles", n)
		rc, rreqs, rlist, err := b.crawlOnce(s, b.parc, db)
		s.stop()
		if err != nil {
			return "", "", err
		}
		fi, err := os.Stat(db)
		if err != nil {
			return "", "", err
		}
		what := fmt.Sprintf("%d articles", n)
		mb := float64(fi.Size()) / 1e6
		b.add(sec, what, "crawl pages/s", fmt.Sprintf("%d requests", reqs), float64(reqs)/c.Wall.Seconds())
		b.add(sec, what, "peak RSS MB", "includes bbolt's mmap", c.MaxRSSMB)
		b.add(sec, what, "peak Go heap MB", fmt.Sprintf("live after GC <= %.0f MB", c.HeapLiveMB), c.HeapPeakMB)
		b.add(sec, what, "archive MB", fmt.Sprintf("%.1f KB/article (raw captures kept)", float64(fi.Size())/1e3/float64(n)), mb)
		b.add(sec, what, "recrawl s", fmt.Sprintf("%d requests (%d listing pages)", rreqs, rlist), rc.Wall.Seconds())
	}
	return db, cfg, nil
}

// export measures parc export (--out with fsync) of the largest archive
// against dd writing as many bytes with fdatasync: JSON Lines, CSV, WARC
// and Parquet with the archive dropped from the page cache before each
// run (issue 17's targets: WARC >= 0.1x dd, JSON Lines >= 0.35x, CSV >=
// 0.25x), then JSON Lines and CSV warm, as earlier tables measured them.
func (b *bench) export(db, cfg string) error {
	for _, format := range []string{"jsonl", "csv", "warc", "parquet"} {
		if err := b.exportRows(db, cfg, format, true); err != nil {
			return err
		}
	}
	for _, format := range []string{"jsonl", "csv"} {
		if err := b.exportRows(db, cfg, format, false); err != nil {
			return err
		}
	}
	return nil
}

func fmtVal(v float64) string {
	switch a := math.Abs(v); {
	case a >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case a >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	default:
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
}

func (b *bench) print(took time.Duration) {
	host, _ := os.Hostname()
	fmt.Fprintf(b.out, "parc benchmark: %s, %d CPUs, %s, %s, host %s; %d runs per repeated row; took %s\n\n",
		time.Now().UTC().Format("2006-01-02 15:04 UTC"), runtime.NumCPU(), runtime.GOOS+"/"+runtime.GOARCH, runtime.Version(), host, b.runs, took.Round(time.Second))
	fmt.Fprintln(b.out, "| section | measure | unit | min | median | max | notes |")
	fmt.Fprintln(b.out, "| --- | --- | --- | ---: | ---: | ---: | --- |")
	for _, r := range b.rows {
		lo, mid, hi := "", "n/a", ""
		if len(r.vals) > 0 {
			mid = fmtVal(median(r.vals))
		}
		if len(r.vals) > 1 {
			lo, hi = fmtVal(slices.Min(r.vals)), fmtVal(slices.Max(r.vals))
		}
		fmt.Fprintf(b.out, "| %s | %s | %s | %s | %s | %s | %s |\n", r.section, r.what, r.unit, lo, mid, hi, r.note)
	}
}
