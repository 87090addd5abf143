package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/PuerkitoBio/goquery"
	trafilatura "github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"

	"github.com/parc-archiver/parc/extract"
	"github.com/parc-archiver/parc/internal/htmldoc"
	"github.com/parc-archiver/parc/sim"
)

// fetchResult is one pass of the plain net/http loop.
type fetchResult struct {
	pages   int
	bytes   int64
	wall    time.Duration
	cpu     time.Duration // this process (the client only: the sim is a child)
	conns   int64         // TCP connections opened
	samples [][]byte      // the first bodies, for the parse and extraction ceilings
}

// fetchAll GETs every URL once with par workers over one keep-alive
// transport (MaxIdleConnsPerHost = par), reading each body without parsing.
func fetchAll(urls []string, par, keep int) (fetchResult, error) {
	var conns atomic.Int64
	tr := &http.Transport{
		MaxIdleConns: par, MaxIdleConnsPerHost: par, MaxConnsPerHost: par,
		DisableCompression: true,
	}
	d := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		conns.Add(1)
		return d.DialContext(ctx, network, addr)
	}
	client := &http.Client{Transport: tr}
	defer tr.CloseIdleConnections()

	res := fetchResult{}
	var (
		next   atomic.Int64
		nbytes atomic.Int64
		mu     sync.Mutex
		first  error
		wg     sync.WaitGroup
	)
	samples := make([][]byte, min(keep, len(urls)))
	runtime.GC()
	cpu0, start := selfCPU(), time.Now()
	for range par {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := bytes.NewBuffer(make([]byte, 0, 128<<10))
			for {
				i := int(next.Add(1) - 1)
				if i >= len(urls) {
					return
				}
				resp, err := client.Get(urls[i])
				if err == nil {
					buf.Reset()
					_, err = buf.ReadFrom(resp.Body)
					resp.Body.Close()
					if err == nil && resp.StatusCode != http.StatusOK {
						err = fmt.Errorf("%s: status %d", urls[i], resp.StatusCode)
					}
				}
				if err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
					return
				}
				nbytes.Add(int64(buf.Len()))
				if i < len(samples) {
					samples[i] = bytes.Clone(buf.Bytes())
				}
			}
		}()
	}
	wg.Wait()
	res.wall, res.cpu = time.Since(start), selfCPU()-cpu0
	res.pages, res.bytes, res.conns, res.samples = len(urls), nbytes.Load(), conns.Load(), samples
	return res, first
}

// rate is pages per second and CPU milliseconds per page of one timed loop.
type rate struct{ pps, cpuMS float64 }

// timeLoop runs f over pages (single goroutine) until at least minDur has
// passed, and reports pages/s (wall) and CPU-ms/page (this process).
func timeLoop(pages [][]byte, minDur time.Duration, f func([]byte) error) (rate, error) {
	runtime.GC()
	cpu0, start := selfCPU(), time.Now()
	n := 0
	for time.Since(start) < minDur || n == 0 {
		for _, p := range pages {
			if err := f(p); err != nil {
				return rate{}, err
			}
			n++
		}
	}
	wall, cpu := time.Since(start), selfCPU()-cpu0
	return rate{pps: float64(n) / wall.Seconds(), cpuMS: float64(cpu.Microseconds()) / 1000 / float64(n)}, nil
}

// parseRate is the goquery parse ceiling: parse only.
func parseRate(pages [][]byte, minDur time.Duration) (rate, error) {
	return timeLoop(pages, minDur, func(b []byte) error {
		_, err := goquery.NewDocumentFromReader(bytes.NewReader(b))
		return err
	})
}

// extractRates times parc's profile extraction (the sim's selectors, as
// in the crawl's config) and generic extraction, each parse included.
func extractRates(pages [][]byte, base string, minDur time.Duration) (profile, generic, traf rate, err error) {
	u, _ := url.Parse(base + "/nd/tin-tap-doan/x.html")
	prof, err := extract.New(extract.Options{Profile: extract.Profile{
		Title: sim.SelTitle, Published: sim.SelPublished, Body: sim.SelBody, Byline: sim.SelByline,
		Category: sim.SelCategory, Remove: sim.RemoveSelectors(),
	}})
	if err != nil {
		return
	}
	gen, err := extract.New(extract.Options{})
	if err != nil {
		return
	}
	run := func(x *extract.Extractor) func([]byte) error {
		return func(b []byte) error {
			doc, _, err := htmldoc.Parse(b, "text/html; charset=utf-8")
			if err != nil {
				return err
			}
			_, err = x.ExtractDocument(doc, extract.Input{URL: u})
			return err
		}
	}
	if profile, err = timeLoop(pages, minDur, run(prof)); err != nil {
		return
	}
	if generic, err = timeLoop(pages, minDur, run(gen)); err != nil {
		return
	}
	traf, err = timeLoop(pages, minDur, func(b []byte) error {
		doc, err := html.Parse(bytes.NewReader(b))
		if err != nil {
			return err
		}
		_, err = trafilatura.ExtractDocument(doc, trafilatura.Options{OriginalURL: u, ExcludeComments: true})
		return err
	})
	return
}
