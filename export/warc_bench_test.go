package export

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"runtime"
	"runtime/metrics"
	"strings"
	"testing"
	"time"

	"github.com/parc-archiver/parc/internal/testtool"
	"github.com/parc-archiver/parc/record"
)

// BenchmarkExportWARC writes 500 captures of ~8 KB pages (the sim's
// size) from memory: the cost of building and compressing the records.
func BenchmarkExportWARC(b *testing.B) {
	var cs []testCapture
	var total int64
	for i := range 500 {
		body := benchPage(i)
		cs = append(cs, benchCapture(i, body))
		total += int64(len(body))
	}
	benchWARC(b, cs, total)
}

// benchWARC times WARC exports of cs, total payload bytes each.
func benchWARC(b *testing.B, cs []testCapture, total int64) {
	src := captureSource(cs)
	b.SetBytes(total)
	b.ResetTimer()
	for b.Loop() {
		var w countWriter
		if _, err := WARC(context.Background(), &w, src, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// benchPage is page i of the WARC benchmarks: ~8 KB of HTML.
func benchPage(i int) []byte {
	return []byte("<html><head><title>Tin</title></head><body><p>" + strings.ReplaceAll(testtool.Body(i, 8), "\n\n", "</p><p>") + "</p></body></html>")
}

// benchCapture is page i as parc captures it over the wire.
func benchCapture(i int, body []byte) testCapture {
	c := record.Capture{URL: fmt.Sprintf("https://www.vinachem.com.vn/nd/tin-%d.html", i), Method: "GET", Status: 200, Wire: true, Proto: "HTTP/1.1",
		RequestHeader: http.Header{"Host": {"www.vinachem.com.vn"}, "User-Agent": {"parc/0.5"}, "Accept-Encoding": {"gzip"}},
		Header:        http.Header{"Content-Type": {"text/html; charset=utf-8"}, "Date": {"Wed, 02 Dec 2026 05:52:27 GMT"}, "Etag": {`"23cac5acec0e46bb"`}},
		Body:          body, FetchedAt: time.Date(2026, 12, 2, 5, 0, 0, i, time.UTC)}
	return testCapture{c: c, id: fmt.Sprintf("<urn:uuid:0a1b2c3d-0000-4000-8000-%012d>", i), digest: PayloadDigest(body)}
}

// BenchmarkParquetHeap writes n records of ~5 KB, generated one by one,
// as Parquet to a counting writer and reports the largest live heap seen
// (sampled every 500 records) and the largest heap live after a
// collection: they must not grow with n.
func BenchmarkParquetHeap(b *testing.B) {
	for _, n := range []int{20000, 100000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				var peak, peakLive uint64
				var ms runtime.MemStats
				live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
				src := func(ctx context.Context, fn func([]byte) error) error {
					for i := range n {
						r := record.Record{ID: fmt.Sprintf("%016x", i), URL: fmt.Sprintf("https://example.com/a/%d", i), URLs: []string{"https://example.com/a"},
							Title: "Tin", Published: "2021-01-27T13:39:00+07:00", Body: testtool.Body(i%1000, 12), ContentHash: "sha256:00",
							FirstSeen: "2024-01-01T00:00:00Z", LastSeen: "2024-01-01T00:00:00Z", Revision: 1, Extraction: "profile",
							Tags: []string{"a", "b"}, Images: []record.Image{{URL: "https://example.com/i.jpg", Caption: "c"}}}
						raw, _ := json.Marshal(r)
						if err := fn(raw); err != nil {
							return err
						}
						if i%500 == 0 {
							runtime.ReadMemStats(&ms)
							peak = max(peak, ms.HeapAlloc)
							metrics.Read(live)
							peakLive = max(peakLive, live[0].Value.Uint64())
						}
					}
					return nil
				}
				var w countWriter
				if _, err := Parquet(context.Background(), &w, src, Options{}); err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(peak)/1e6, "peak-heap-MB")
				b.ReportMetric(float64(peakLive)/1e6, "peak-live-MB")
				b.ReportMetric(float64(w.n)/1e6, "file-MB")
			}
		})
	}
}
