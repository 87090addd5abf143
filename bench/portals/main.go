// Command portals is parc's many-portal scale benchmark (issue 18 item 6):
// it serves N simulated portals (package sim; VIEPortal, VIEApps and
// generated layouts in turn, each its own seed) in a child process, each
// on its own loopback address (127.0.X.Y), writes one config.yaml with a
// `portals:` entry per portal (crawl delay 1s, parallelism 1: one request
// at a time per origin) and measures `parc crawl` on it as a child process:
// wall time, pages, pages/s, CPU-ms per page, peak RSS, peak and live Go
// heap (GODEBUG=gctrace=1), and how late the slowest portal finished
// against a lone crawl of a portal of its layout. Lone crawls of one
// portal of each layout, in the same run, are the baseline of the CPU
// ratio and of the per-portal memory. It prints one Markdown table.
//
// Usage (from bench/: go build -o /tmp/portals ./portals):
//
//	portals -parc PATH [-portals 10,100,1000] [-articles 20] [-runs 1] [-mode portals|processes] [-work DIR]
//
// -mode processes runs N one-portal `parc crawl` processes side by side
// instead (each its own `portal:` config and archive): a check of the
// harness on a parc without `portals:`, not the figure issue 18 asks for.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

func main() {
	serveMode := flag.Bool("serve", false, "internal: serve the simulated portals (child process)")
	n := flag.Int("n", 0, "internal (-serve): number of portals")
	manifestPath := flag.String("manifest", "", "internal (-serve): write the portals' manifest here")
	parcBin := flag.String("parc", "", "parc binary to measure (required)")
	sizes := flag.String("portals", "10,100,1000", "comma-separated numbers of portals, one crawl each")
	articles := flag.Int("articles", 20, "articles per portal")
	runs := flag.Int("runs", 1, "repetitions of every crawl (the table shows medians)")
	mode := flag.String("mode", "portals", "portals: one parc crawl of a `portals:` config; processes: one parc crawl per portal, side by side (harness check)")
	work := flag.String("work", "", "working directory (default: a new temporary directory, removed at the end)")
	flag.Parse()
	if *serveMode {
		if err := serve(*n, *articles, *manifestPath); err != nil {
			fmt.Fprintln(os.Stderr, "sims:", err)
			os.Exit(1)
		}
		return
	}
	var ns []int
	for _, s := range strings.Split(*sizes, ",") {
		v, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || v < 1 || v > 250*250 {
			fmt.Fprintf(os.Stderr, "portals: -portals %q: want numbers of portals like 10,100,1000\n", *sizes)
			os.Exit(2)
		}
		ns = append(ns, v)
	}
	if *parcBin == "" {
		fmt.Fprintln(os.Stderr, "portals: -parc PATH is required")
		os.Exit(2)
	}
	if *mode != "portals" && *mode != "processes" {
		fmt.Fprintf(os.Stderr, "portals: -mode %q: want portals or processes\n", *mode)
		os.Exit(2)
	}
	b := &bench{parc: absPath(*parcBin), sizes: ns, articles: *articles, runs: max(1, *runs), processes: *mode == "processes", out: os.Stdout, log: os.Stderr}
	dir := absPath(*work)
	if dir == "" {
		d, err := os.MkdirTemp("", "parc-portals-")
		if err != nil {
			fmt.Fprintln(os.Stderr, "portals:", err)
			os.Exit(1)
		}
		defer os.RemoveAll(d)
		dir = d
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "portals:", err)
		os.Exit(1)
	}
	b.dir = dir
	if err := b.run(); err != nil {
		fmt.Fprintln(os.Stderr, "portals:", err)
		os.Exit(1)
	}
}

type bench struct {
	parc      string
	self      string
	dir       string
	sizes     []int
	articles  int
	runs      int
	processes bool
	out, log  io.Writer
	nofile    string // the file-descriptor limits the children got
}

func (b *bench) logf(format string, args ...any) {
	fmt.Fprintf(b.log, "portals: "+format+"\n", args...)
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

// raiseNofile lifts this process's soft file-descriptor limit to the hard
// one, which the children inherit: the sim child holds a listener and a
// connection per portal, parc a connection per portal and its archive.
// (Go raises its own soft limit at start but restores the original in
// children, unless the program sets it itself, as here.)
func raiseNofile() string {
	var r syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &r); err != nil {
		return "unknown: " + err.Error()
	}
	soft := r.Cur
	r.Cur = r.Max
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &r); err != nil {
		return fmt.Sprintf("soft %d (raising it to %d failed: %v)", soft, r.Max, err)
	}
	return fmt.Sprintf("soft %d raised to the hard %d", soft, r.Max)
}

func (b *bench) run() error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	b.self = self
	b.nofile = raiseNofile()
	b.logf("file descriptors: %s", b.nofile)
	most := len(layouts)
	for _, n := range b.sizes {
		most = max(most, n)
	}
	b.logf("starting %d simulated portals of %d articles", most, b.articles)
	s, err := startSims(b.self, most, b.articles, filepath.Join(b.dir, "manifest.json"))
	if err != nil {
		return err
	}
	defer s.stop()
	rest, err := politeRest(s.Rest)
	if err != nil {
		return err
	}
	var lone [][]result // lone[layout][run]
	byN := map[int][]result{}
	for r := range b.runs {
		if lone, err = b.loneRuns(s, rest, r, lone); err != nil {
			return err
		}
		for _, n := range b.sizes {
			b.logf("run %d/%d: %d portals", r+1, b.runs, n)
			res, err := b.crawl(s, rest, s.Portals[:n], fmt.Sprintf("n%d-r%d", n, r))
			if err != nil {
				return fmt.Errorf("%d portals: %w", n, err)
			}
			b.logf("%d portals: %s", n, res.brief())
			byN[n] = append(byN[n], res)
		}
	}
	b.print(lone, byN)
	return nil
}

// loneRuns crawls one portal of each layout alone and appends the results
// to lone[layout].
func (b *bench) loneRuns(s *sims, rest string, r int, lone [][]result) ([][]result, error) {
	if lone == nil {
		lone = make([][]result, len(layouts))
	}
	for l := range layouts {
		b.logf("run %d/%d: one portal (%s)", r+1, b.runs, layouts[l].name)
		res, err := b.crawl(s, rest, s.Portals[l:l+1], fmt.Sprintf("lone-%s-r%d", layouts[l].name, r))
		if err != nil {
			return nil, fmt.Errorf("one portal (%s): %w", layouts[l].name, err)
		}
		b.logf("one portal (%s): %s", layouts[l].name, res.brief())
		lone[l] = append(lone[l], res)
	}
	return lone, nil
}
