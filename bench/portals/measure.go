package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"sync"
	"time"

	"github.com/parc-archiver/parc/bench/internal/childproc"
)

// result is one measured crawl of some portals.
type result struct {
	portals  []portalInfo
	pages    int   // parc's summary: pages fetched
	failed   int   // parc's summary: failed
	newRecs  int   // parc's summary: new records
	requests int64 // the sims': requests answered
	wall     time.Duration
	cpu      time.Duration
	// maxRSSMB, heapPeakMB and heapLiveMB are the process's, or with
	// -mode processes the sums over the processes.
	maxRSSMB, heapPeakMB, heapLiveMB float64
	gcs                              int
	simCPU                           time.Duration // the sims' CPU during the crawl
	// finish[i] is when portals[i]'s last request began, from the crawl's
	// start; requests[i] how many it answered.
	finish      []time.Duration
	perRequests []int64
}

func (r result) cpuPerPage() float64 {
	return float64(r.cpu.Microseconds()) / 1000 / float64(max(r.pages, 1))
}

func (r result) lastFinish() time.Duration {
	var m time.Duration
	for _, f := range r.finish {
		m = max(m, f)
	}
	return m
}

func (r result) brief() string {
	return fmt.Sprintf("%d pages (%d requests, %d new, %d failed) in %.1fs, CPU %.2f ms/page, RSS %.0f MB, heap peak %.0f MB / live %.0f MB (%d GCs), last portal done at %.1fs, sims' CPU %.1fs",
		r.pages, r.requests, r.newRecs, r.failed, r.wall.Seconds(), r.cpuPerPage(), r.maxRSSMB, r.heapPeakMB, r.heapLiveMB, r.gcs, r.lastFinish().Seconds(), r.simCPU.Seconds())
}

// crawl measures one crawl of entries into a fresh archive: one `parc
// crawl` of a `portals:` config, or with -mode processes one `parc crawl`
// per entry, all at once.
func (b *bench) crawl(s *sims, rest string, entries []portalInfo, tag string) (result, error) {
	if err := s.reset(); err != nil {
		return result{}, err
	}
	before, err := s.stats()
	if err != nil {
		return result{}, err
	}
	dir := filepath.Join(b.dir, tag)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return result{}, err
	}
	defer os.RemoveAll(dir)
	start := time.Now()
	var res result
	if b.processes {
		res, err = b.crawlProcesses(dir, rest, entries)
	} else {
		res, err = b.crawlPortals(dir, rest, entries)
	}
	if err != nil {
		return res, err
	}
	after, err := s.stats()
	if err != nil {
		return res, err
	}
	res.portals = entries
	res.simCPU = time.Duration((after.CPUms - before.CPUms) * float64(time.Millisecond))
	for _, e := range entries {
		st := after.Portals[e.Index]
		res.requests += st.Requests
		res.perRequests = append(res.perRequests, st.Requests)
		var f time.Duration
		if st.Last != 0 {
			f = time.Unix(0, st.Last).Sub(start)
		}
		res.finish = append(res.finish, f)
	}
	return res, nil
}

func (b *bench) crawlPortals(dir, rest string, entries []portalInfo) (result, error) {
	cfg := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(cfg, []byte(portalsConfig(rest, entries)), 0o644); err != nil {
		return result{}, err
	}
	c, err := childproc.Run(childproc.Options{Dir: dir, GCTrace: true}, b.parc, "crawl", "--config", cfg, "--archive", filepath.Join(dir, "parc.db"))
	if err != nil {
		return result{}, err
	}
	res := result{wall: c.Wall, cpu: c.CPU, maxRSSMB: c.MaxRSSMB, heapPeakMB: c.HeapPeakMB, heapLiveMB: c.HeapLiveMB, gcs: c.GCs}
	sum, ok := parseSummary(c.Stderr)
	if !ok {
		return res, fmt.Errorf("parc crawl printed no summary:\n%s", childproc.Tail(childproc.WithoutGC(c.Stderr), 3000))
	}
	res.pages, res.newRecs, res.failed = sum.pages, sum.newRecs, sum.failed
	return res, nil
}

// crawlProcesses runs one one-portal `parc crawl` per entry, all at once,
// and adds their costs up.
func (b *bench) crawlProcesses(dir, rest string, entries []portalInfo) (result, error) {
	var (
		mu    sync.Mutex
		res   result
		first error
		wg    sync.WaitGroup
	)
	start := time.Now()
	for i, e := range entries {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d := filepath.Join(dir, strconv.Itoa(i))
			err := os.MkdirAll(d, 0o755)
			cfg := filepath.Join(d, "config.yaml")
			if err == nil {
				err = os.WriteFile(cfg, []byte(singleConfig(rest, e)), 0o644)
			}
			var c childproc.Cost
			if err == nil {
				c, err = childproc.Run(childproc.Options{Dir: d, GCTrace: true}, b.parc, "crawl", "--config", cfg, "--archive", filepath.Join(d, "parc.db"))
			}
			sum, ok := parseSummary(c.Stderr)
			if err == nil && !ok {
				err = fmt.Errorf("parc crawl printed no summary:\n%s", childproc.Tail(childproc.WithoutGC(c.Stderr), 3000))
			}
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				first = cmpErr(first, fmt.Errorf("%s: %w", e.Name, err))
				return
			}
			res.cpu += c.CPU
			res.maxRSSMB += c.MaxRSSMB
			res.heapPeakMB += c.HeapPeakMB
			res.heapLiveMB += c.HeapLiveMB
			res.gcs += c.GCs
			res.pages += sum.pages
			res.newRecs += sum.newRecs
			res.failed += sum.failed
		}()
	}
	wg.Wait()
	res.wall = time.Since(start)
	return res, first
}

func cmpErr(first, err error) error {
	if first != nil {
		return first
	}
	return err
}

// summary is the figures of parc crawl's summary line: the total's
// ("crawl: all N portals: …") when it printed one, else the one-portal
// line's ("crawl: …").
type summary struct{ pages, newRecs, failed int }

var (
	totalLine  = regexp.MustCompile(`(?m)^crawl: all \d+ portals: (\d+) pages fetched, (\d+) new, \d+ updated, \d+ unchanged, \d+ duplicates, (\d+) failed`)
	singleLine = regexp.MustCompile(`(?m)^crawl: (\d+) pages fetched, (\d+) new, \d+ updated, \d+ unchanged, \d+ duplicates, (\d+) failed`)
	portalLine = regexp.MustCompile(`(?m)^crawl: [A-Za-z0-9._-]+: (\d+) pages fetched, (\d+) new, \d+ updated, \d+ unchanged, \d+ duplicates, (\d+) failed`)
)

func parseSummary(stderr string) (summary, bool) {
	m := totalLine.FindStringSubmatch(stderr)
	if m == nil {
		m = singleLine.FindStringSubmatch(stderr)
	}
	atoi := func(s string) int { v, _ := strconv.Atoi(s); return v }
	if m != nil {
		return summary{atoi(m[1]), atoi(m[2]), atoi(m[3])}, true
	}
	// No total: the portals' lines added up.
	var sum summary
	all := portalLine.FindAllStringSubmatch(stderr, -1)
	for _, m := range all {
		sum.pages, sum.newRecs, sum.failed = sum.pages+atoi(m[1]), sum.newRecs+atoi(m[2]), sum.failed+atoi(m[3])
	}
	return sum, len(all) > 0
}
