package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/parc-archiver/parc/bench/internal/childproc"
	"golang.org/x/sys/unix"
)

// The parc crawl and export rows measure the parc binary of this checkout
// and, with -baseline, an older one too: the runs alternate (old, new,
// old, new, ...) so that both see the same machine, and a "baseline"
// section gives new/old of the medians (issue 14: CPU-ms per page and
// export MB/s within 5 % of 0.4.0).

// parcBin is one parc binary measured.
type parcBin struct {
	path  string
	label string // appended to the row names: "" without -baseline, else " (old)" or " (new)"
}

// parcs are the binaries for the crawl and export rows, the baseline
// first; the last is always the current one.
func (b *bench) parcs() []parcBin {
	if b.baseline == "" {
		return []parcBin{{b.parc, ""}}
	}
	return []parcBin{{b.baseline, " (old)"}, {b.parc, " (new)"}}
}

// crawlRuns are parc crawl's figures, one value per run.
type crawlRuns struct {
	pps, cpu, rss, heap, wall, cov []float64
}

// crawlRows measures parc crawl on s b.runs times per binary, interleaved,
// adds their rows and returns the current binary's runs.
func (b *bench) crawlRows(s *simProc, fetchPPS, ceilCPU float64) (crawlRuns, error) {
	bins := b.parcs()
	runs := make([]crawlRuns, len(bins))
	for i := range b.runs {
		for j, p := range bins {
			b.logf("parc crawl%s run %d/%d", p.label, i+1, b.runs)
			db := filepath.Join(b.dir, fmt.Sprintf("compare-%d.db", i))
			if _, err := s.coverage(); err != nil { // start counting
				return crawlRuns{}, err
			}
			c, reqs, _, err := b.crawlOnce(s, p.path, db)
			if err != nil {
				return crawlRuns{}, err
			}
			covered, err := s.coverage()
			if err != nil {
				return crawlRuns{}, err
			}
			os.Remove(db)
			r := &runs[j]
			r.cov = append(r.cov, float64(covered))
			r.pps = append(r.pps, float64(reqs)/c.Wall.Seconds())
			r.wall = append(r.wall, c.Wall.Seconds())
			r.cpu = append(r.cpu, c.CPU.Seconds()/float64(reqs)*1000)
			r.rss = append(r.rss, c.MaxRSSMB)
			r.heap = append(r.heap, c.HeapPeakMB)
		}
	}
	sec := fmt.Sprintf("parc crawl (%d articles, parallelism %d, delay 0, keep_raw)", b.articles, b.par)
	for j, p := range bins {
		r := runs[j]
		what := "parc crawl" + p.label
		b.add(sec, what, "pages/s", fmt.Sprintf("%.2fx fetch-loop ceiling", median(r.pps)/fetchPPS), r.pps...)
		b.add(sec, what, "CPU-s/1000 pages", fmt.Sprintf("%.2fx the %.2f ms floor (target <= 0.8 ms/page)", median(r.cpu)/ceilCPU, ceilCPU), r.cpu...)
		b.add(sec, what, "peak RSS MB", "", r.rss...)
		b.add(sec, what, "peak Go heap MB", "gctrace (heap at GC start/end)", r.heap...)
	}
	if len(runs) == 2 {
		old, cur := runs[0], runs[1]
		b.versus("crawl", "CPU-ms/page", old.cpu, cur.cpu, false)
		b.versus("crawl", "pages/s", old.pps, cur.pps, true)
		b.versus("crawl", "peak RSS MB", old.rss, cur.rss, false)
	}
	return runs[len(runs)-1], nil
}

// exportRuns are parc export's figures of one binary, one value per run.
type exportRuns struct {
	mbps, rss, heap []float64
	size            int64
	records         string
}

var exportedRecords = regexp.MustCompile(`export: (\d+) records`)

// exportRows measures parc export --format format of db b.runs times per
// binary, interleaved, each run followed by dd writing as many bytes, and
// adds their rows. Every binary exports the same archive (written by the
// current parc). With cold, the archive's pages are dropped from the page
// cache before each run (dropCache).
func (b *bench) exportRows(db, cfg, format string, cold bool) error {
	bins := b.parcs()
	runs := make([]exportRuns, len(bins))
	var ddps []float64
	out := filepath.Join(b.dir, "export."+format)
	for i := range b.runs {
		for j, p := range bins {
			b.logf("export %s%s run %d/%d", format, p.label, i+1, b.runs)
			if cold {
				if err := dropCache(db); err != nil {
					return err
				}
			}
			c, err := childproc.Run(childproc.Options{Dir: b.dir, GCTrace: true}, p.path, "export", "--config", cfg, "--archive", db, "--format", format, "--out", out)
			if err != nil {
				return err
			}
			fi, err := os.Stat(out)
			if err != nil {
				return err
			}
			os.Remove(out)
			r := &runs[j]
			r.size = fi.Size()
			if m := exportedRecords.FindStringSubmatch(c.Stderr); m != nil {
				r.records = m[1]
			}
			r.mbps = append(r.mbps, float64(r.size)/1e6/c.Wall.Seconds())
			r.rss = append(r.rss, c.MaxRSSMB)
			r.heap = append(r.heap, c.HeapPeakMB)
		}
		count := (runs[len(runs)-1].size + 1<<20 - 1) >> 20
		dd, err := childproc.Run(childproc.Options{Dir: b.dir}, "dd", "if=/dev/zero", "of="+out, "bs=1M", fmt.Sprintf("count=%d", count), "conv=fdatasync")
		if err != nil {
			return err
		}
		os.Remove(out)
		ddps = append(ddps, float64(count<<20)/1e6/dd.Wall.Seconds())
	}
	cur := runs[len(runs)-1]
	sec := fmt.Sprintf("export (%s records, --out with fsync, archive cached)", cur.records)
	if cold {
		sec = fmt.Sprintf("export (%s records, --out with fsync, archive not cached: posix_fadvise DONTNEED before each run)", cur.records)
	}
	for j, p := range bins {
		r := runs[j]
		what := format + p.label
		b.add(sec, what, "MB/s", fmt.Sprintf("%.0f MB; %.2fx dd", float64(r.size)/1e6, median(r.mbps)/median(ddps)), r.mbps...)
		b.add(sec, what, "peak RSS MB", "includes bbolt's mmap of the archive", r.rss...)
		b.add(sec, what, "peak Go heap MB", "gctrace", r.heap...)
	}
	b.add(sec, "dd conv=fdatasync, same bytes", "MB/s", "", ddps...)
	if len(runs) == 2 {
		old := runs[0]
		if old.size != cur.size || old.records != cur.records {
			b.logf("export %s: old wrote %d bytes (%s records), new %d bytes (%s records)", format, old.size, old.records, cur.size, cur.records)
		}
		temp := " warm"
		if cold {
			temp = " cold"
		}
		b.versus("export "+format+temp, "MB/s", old.mbps, cur.mbps, true)
	}
	return nil
}

// versus adds a baseline row: new/old of the medians of one figure, and
// whether the new binary is more than 5 % worse (higherBetter says which
// way is worse).
func (b *bench) versus(what, unit string, old, cur []float64, higherBetter bool) {
	o, n := median(old), median(cur)
	ratio := n / o
	worse := ratio - 1
	if higherBetter {
		worse = 1 - ratio
	}
	verdict := "ok (at most 5 % worse)"
	if worse > 0.05 {
		verdict = fmt.Sprintf("%.1f %% WORSE", worse*100)
	}
	sec := fmt.Sprintf("baseline: new/old of the medians (old %s)", b.baselineName)
	b.summary = append(b.summary, row{sec, what, []float64{ratio}, unit + " new/old", fmt.Sprintf("old %s, new %s; %s", fmtVal(o), fmtVal(n), verdict)})
}

// versionOf is what `parc version` prints ("parc 0.4.0"), or the file's
// name when it prints nothing.
func versionOf(parc string) string {
	out, err := exec.Command(parc, "version").Output()
	if v := strings.TrimSpace(string(out)); err == nil && v != "" {
		return v + ", " + parc
	}
	return parc
}

// dropCache drops the file's pages from the page cache:
// posix_fadvise(POSIX_FADV_DONTNEED) evicts clean pages and needs no root,
// unlike /proc/sys/vm/drop_caches, and leaves the other engineers' caches
// on a shared machine alone. The file is synced first (dirty pages are not
// dropped).
func dropCache(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("drop cache of %s: %w", path, err)
	}
	if err := unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_DONTNEED); err != nil {
		return fmt.Errorf("drop cache of %s: %w", path, err)
	}
	return nil
}
