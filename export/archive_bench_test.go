package export

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/parc-archiver/parc/archive"
)

// benchArchive stores n distinct articles of paras paragraphs in a new
// archive (NoSync: the fill is set-up, not the measurement).
func benchArchive(tb testing.TB, n, paras int) *archive.Archive {
	tb.Helper()
	a, err := archive.Open(tb.TempDir()+"/bench.db", archive.Options{NoSync: true})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { a.Close() })
	w := a.NewWriter(archive.WriterOptions{OnResult: func(_ archive.Page, _ archive.Result, err error) {
		if err != nil {
			tb.Error(err)
		}
	}})
	ctx := context.Background()
	now := time.Date(2024, 1, 8, 15, 15, 0, 0, time.UTC)
	para := strings.Repeat("Tập đoàn Hóa chất Việt Nam tổ chức hội nghị tổng kết năm ", 8)
	for i := range n {
		body := strings.TrimSpace(strings.Repeat(fmt.Sprintf("%d %s\n\n", i, para), paras))
		p := archive.Page{URL: fmt.Sprintf("https://vinachem.com.vn/nd/tin-tap-doan/bai-%d.html", i), FetchedAt: now,
			Article: &archive.Article{Title: fmt.Sprintf("Bài %d: hội nghị tổng kết", i), Body: body, Published: now, Byline: "HỒNG LIÊN"}}
		if err := w.Submit(ctx, p); err != nil {
			tb.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	return a
}

// benchExportArchive exports a pre-filled 10 000-article archive (records
// read from bbolt, as parc export does) to io.Discard; SetBytes is the
// size of one export.
func benchExportArchive(b *testing.B, format Format) {
	a := benchArchive(b, 10_000, 8)
	ctx := context.Background()
	src := func(ctx context.Context, fn func([]byte) error) error { return a.Records(ctx, archive.Filter{}, fn) }
	cw := &countWriter{}
	if _, err := Records(ctx, cw, src, Options{Format: format}); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(cw.n)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		n, err := Records(ctx, io.Discard, src, Options{Format: format})
		if err != nil || n != 10_000 {
			b.Fatalf("exported %d records: %v", n, err)
		}
	}
}

type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

func BenchmarkExportArchiveJSONL(b *testing.B) { benchExportArchive(b, FormatJSONL) }
func BenchmarkExportArchiveCSV(b *testing.B)   { benchExportArchive(b, FormatCSV) }
