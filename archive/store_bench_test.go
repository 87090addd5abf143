package archive

import (
	"context"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/parc-archiver/parc/record"
)

// benchHead and benchTail: a portal page's head and navigation (~26 KB)
// and its tail, built once.
var benchHead, benchTail = func() (string, string) {
	var sb strings.Builder
	sb.WriteString("<!DOCTYPE html><html><head><title>Vinachem</title>")
	for i := range 40 {
		fmt.Fprintf(&sb, `<link rel="stylesheet" href="/Portals/_default/Skins/vinachem/css/style-%d.css?v=20210127">`, i)
	}
	sb.WriteString(`</head><body><div id="dnn_ctr123_ContentPane"><ul class="menu">`)
	for i := range 200 {
		fmt.Fprintf(&sb, `<li class="item"><a href="/vi-vn/tin-tuc/chuyen-muc-%d.html" title="Chuyên mục %d">Chuyên mục %d</a></li>`, i, i, i)
	}
	sb.WriteString(`</ul><div class="article">`)
	return sb.String(), `</div><script>var dnn = {"apiroot":"/API","tabid":55,"portalid":0};</script></body></html>`
}()

// benchCapture returns a raw response like a portal's article page: the
// body's paragraphs inside the boilerplate above.
func benchCapture(u, body string, at time.Time) *record.Capture {
	buf := make([]byte, 0, len(benchHead)+len(body)+len(benchTail)+256)
	buf = append(buf, benchHead...)
	for p := range strings.SplitSeq(body, "\n\n") {
		buf = append(buf, "<p>"...)
		buf = append(buf, p...)
		buf = append(buf, "</p>"...)
	}
	buf = append(buf, benchTail...)
	return &record.Capture{
		URL:           u,
		Method:        "GET",
		RequestHeader: http.Header{"User-Agent": {"parc/1.0 (+https://example.org/parc)"}, "Accept-Encoding": {"gzip"}},
		Status:        200,
		Header: http.Header{"Content-Type": {"text/html; charset=utf-8"}, "Etag": {`"5f1a-` + u[len(u)-12:] + `"`},
			"Last-Modified": {"Wed, 27 Jan 2021 06:39:00 GMT"}, "Server": {"Microsoft-IIS/10.0"}},
		Body:      buf,
		FetchedAt: at,
	}
}

// BenchmarkStoreRaw is BenchmarkStore with keep_raw on (each page carries
// a ~32 KB capture to compress and store), batches of 500, fsync on: the
// store path of a crawl.
func BenchmarkStoreRaw(b *testing.B) {
	a, _ := openTest(b, Options{KeepRaw: true})
	w := a.NewWriter(WriterOptions{OnResult: func(p Page, _ Result, err error) {
		if err != nil {
			b.Error(err)
		}
	}})
	ctx := context.Background()
	now := a.opts.Now()
	b.ReportAllocs()
	b.ResetTimer()
	// Building each page (a distinct ~7 KB body and its capture) is part
	// of the loop; it costs a few allocations and little time next to
	// compressing and committing it.
	for i := 0; b.Loop(); i++ {
		u := fmt.Sprintf("https://vinachem.com.vn/nd/tin/%08d.html", i)
		body := benchBody(i, 16)
		p := page(u, article("Bài "+u, body), now)
		p.Capture = benchCapture(u, body, now)
		if err := w.Submit(ctx, p); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "writes/s")
}

// BenchmarkStoreMemoryRaw is BenchmarkStoreMemory with raw captures kept
// (~32 KB each, as in a crawl with keep_raw): the committer's batch then
// holds the compressed captures of a whole batch.
//
//	go test -run '^$' -bench StoreMemoryRaw -benchtime 1x ./archive
func BenchmarkStoreMemoryRaw(b *testing.B) {
	for _, n := range []int{2_000, 20_000} {
		b.Run(fmt.Sprintf("articles=%d", n), func(b *testing.B) {
			for b.Loop() {
				a, _ := openTest(b, Options{NoSync: true, KeepRaw: true})
				runtime.GC()
				stop := heapPeak()
				start := time.Now()
				fillArchive(b, a, n, 8, true)
				elapsed := time.Since(start)
				b.ReportMetric(stop(), "peak-heap-MB-store")
				b.ReportMetric(float64(n)/elapsed.Seconds(), "writes/s")
				if err := a.Close(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
