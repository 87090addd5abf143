package export

import (
	"context"
	"fmt"
	"net/http"
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
		body := []byte("<html><head><title>Tin</title></head><body><p>" + strings.ReplaceAll(testtool.Body(i, 8), "\n\n", "</p><p>") + "</p></body></html>")
		c := record.Capture{URL: fmt.Sprintf("https://www.vinachem.com.vn/nd/tin-%d.html", i), Method: "GET", Status: 200, Wire: true, Proto: "HTTP/1.1",
			RequestHeader: http.Header{"Host": {"www.vinachem.com.vn"}, "User-Agent": {"parc/0.5"}, "Accept-Encoding": {"gzip"}},
			Header:        http.Header{"Content-Type": {"text/html; charset=utf-8"}, "Date": {"Wed, 02 Dec 2026 05:52:27 GMT"}, "Etag": {`"23cac5acec0e46bb"`}},
			Body:          body, FetchedAt: time.Date(2026, 12, 2, 5, 0, 0, i, time.UTC)}
		cs = append(cs, testCapture{c: c, id: fmt.Sprintf("<urn:uuid:0a1b2c3d-0000-4000-8000-%012d>", i), digest: PayloadDigest(body)})
		total += int64(len(body))
	}
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
