package main

import (
	"fmt"
	"math"
	"os"
	"runtime"
	"slices"
	"strconv"
	"time"
)

func median(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}

func fmtVal(v float64) string {
	switch a := math.Abs(v); {
	case math.IsNaN(v):
		return "n/a"
	case a >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case a >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	default:
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
}

// lonePace is the seconds per request a lone portal of each layout took
// in run r: its last request's start over its requests.
func lonePace(lone [][]result, r int) []float64 {
	pace := make([]float64, len(lone))
	for l, rs := range lone {
		pace[l] = rs[r].lastFinish().Seconds() / float64(max(rs[r].requests, 1))
	}
	return pace
}

// slowestLag is the most any portal of res finished after a lone portal
// of its layout would have, for as many requests: finish − requests ×
// the lone portal's seconds per request.
func slowestLag(res result, pace []float64) float64 {
	lag := math.Inf(-1)
	for i, p := range res.portals {
		ideal := float64(res.perRequests[i]) * pace[p.Layout]
		lag = max(lag, res.finish[i].Seconds()-ideal)
	}
	return lag
}

// loneMix is what the lone crawls of run r cost for res's mix of layouts:
// CPU-ms per page over as many lone portals of each layout as res holds,
// and their mean RSS and live heap.
func loneMix(lone [][]result, r int, res result) (cpuPerPage, rss, live float64) {
	var cpu, pages float64
	for _, p := range res.portals {
		l := lone[p.Layout][r]
		cpu += float64(l.cpu.Microseconds()) / 1000
		pages += float64(l.pages)
	}
	for _, rs := range lone {
		rss += rs[r].maxRSSMB / float64(len(lone))
		live += rs[r].heapLiveMB / float64(len(lone))
	}
	return cpu / pages, rss, live
}

// cells is one table row's columns after the first.
func cells(rs []result, lone [][]result, isLone bool) []string {
	var pages, wall, pps, cpu, ratio, rss, rssPer, peak, live, livePer, last, lag []float64
	for r, res := range rs {
		n := float64(len(res.portals))
		pages = append(pages, float64(res.pages))
		wall = append(wall, res.wall.Seconds())
		pps = append(pps, float64(res.pages)/res.wall.Seconds())
		cpu = append(cpu, res.cpuPerPage())
		rss = append(rss, res.maxRSSMB)
		peak = append(peak, res.heapPeakMB)
		live = append(live, res.heapLiveMB)
		last = append(last, res.lastFinish().Seconds())
		if isLone {
			continue
		}
		base, loneRSS, loneLive := loneMix(lone, r, res)
		ratio = append(ratio, res.cpuPerPage()/base)
		if n > 1 {
			rssPer = append(rssPer, (res.maxRSSMB-loneRSS)/(n-1))
			livePer = append(livePer, (res.heapLiveMB-loneLive)*1024/(n-1))
		}
		lag = append(lag, slowestLag(res, lonePace(lone, r)))
	}
	out := []string{}
	for _, v := range [][]float64{pages, wall, pps, cpu, ratio, rss, rssPer, peak, live, livePer, last, lag} {
		out = append(out, fmtVal(median(v)))
	}
	if isLone {
		out[4], out[6], out[9], out[11] = "1 (baseline)", "", "", "0 (baseline)"
	}
	return out
}

func (b *bench) print(lone [][]result, byN map[int][]result) {
	host, _ := os.Hostname()
	mode := "one `parc crawl` of a `portals:` config"
	if b.processes {
		mode = "one `parc crawl` process per portal, side by side (harness check, not issue 18's figure)"
	}
	fmt.Fprintf(b.out, "parc bench/portals: %s, %d CPUs, %s/%s, %s, host %s; %s; %d articles per portal, crawl delay 1s, parallelism 1; medians of %d runs; file descriptors: %s\n\n",
		time.Now().UTC().Format("2006-01-02 15:04 UTC"), runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, runtime.Version(), host, mode, b.articles, b.runs, b.nofile)
	fmt.Fprintln(b.out, "| portals | pages | wall s | pages/s | CPU-ms/page | ratio to 1 portal | peak RSS MB | RSS per portal MB | peak heap MB | live heap MB | live heap per portal KB | last portal done s | slowest portal's lag s |")
	fmt.Fprintln(b.out, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
	row := func(what string, c []string) {
		fmt.Fprintf(b.out, "| %s |", what)
		for _, v := range c {
			fmt.Fprintf(b.out, " %s |", v)
		}
		fmt.Fprintln(b.out)
	}
	for l, rs := range lone {
		row("1 ("+layouts[l].name+")", cells(rs, lone, true))
	}
	for _, n := range b.sizes {
		row(strconv.Itoa(n), cells(byN[n], lone, false))
	}
	fmt.Fprintln(b.out)
	fmt.Fprintln(b.out, "pages: parc's summary; CPU: user+system of the parc process(es) (rusage), the sims' excluded; ratio: CPU-ms/page over that of lone crawls of as many portals of each layout;")
	fmt.Fprintln(b.out, "RSS (GNU time) and heap (gctrace: peak = largest heap at a GC, live = largest heap marked live) per portal: (N-portal figure − mean lone figure)/(N−1);")
	fmt.Fprintln(b.out, "last portal done: when the last portal's last request began, from the crawl's start (the sims' clock); lag: the most any portal's last request came after requests × seconds per request of a lone portal of its layout.")
}
