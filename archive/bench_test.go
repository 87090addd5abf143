package archive

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"

	"github.com/parc-archiver/parc/frontier"
)

// BenchmarkStore measures committed writes per second through the batched
// writer (with fsync) for batch sizes 1 and 500.
func BenchmarkStore(b *testing.B) {
	words := strings.Fields("Tập đoàn Hóa chất Việt Nam tổ chức hội nghị tổng kết năm phân bón urê giá tăng mạnh trong quý một do nhu cầu nông nghiệp và xuất khẩu")
	// body returns a distinct ~8 KB article (paragraphs of shuffled words).
	body := func(i int) string {
		r := rand.New(rand.NewPCG(uint64(i), 1))
		var sb strings.Builder
		for p := range 16 {
			if p > 0 {
				sb.WriteString("\n\n")
			}
			for w := range 60 {
				if w > 0 {
					sb.WriteByte(' ')
				}
				sb.WriteString(words[r.IntN(len(words))])
			}
		}
		return sb.String()
	}
	for _, size := range []int{1, 500} {
		b.Run(fmt.Sprintf("batch=%d", size), func(b *testing.B) {
			a, _ := openTest(b, Options{BatchSize: size})
			w := a.NewWriter(WriterOptions{OnResult: func(p Page, _ Result, err error) {
				if err != nil {
					b.Error(err)
				}
			}})
			ctx := context.Background()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				u := fmt.Sprintf("https://vinachem.com.vn/nd/tin/%d.html", i)
				if err := w.Submit(ctx, page(u, article("Bài "+u, body(i)), a.opts.Now())); err != nil {
					b.Fatal(err)
				}
			}
			if err := w.Close(); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "writes/s")
		})
	}
}

// BenchmarkFrontier100k queues 100 000 article URLs and hands them all
// out and done; it reports the Go heap in use afterwards, which must not
// grow with the number of URLs (the queue and seen-set live in bbolt).
func BenchmarkFrontier100k(b *testing.B) {
	const n = 100_000
	for b.Loop() {
		a, _ := openTest(b, Options{NoSync: true})
		ctx := context.Background()
		f, err := a.Frontier(ctx, FrontierOptions{})
		if err != nil {
			b.Fatal(err)
		}
		batch := make([]frontier.Item, 0, 100)
		for i := range n {
			batch = append(batch, frontier.Item{URL: fmt.Sprintf("https://vinachem.com.vn/nd/tin/%d.html", i), Kind: frontier.KindArticle})
			if len(batch) == cap(batch) {
				if _, err := f.Add(ctx, batch, math.MaxInt); err != nil {
					b.Fatal(err)
				}
				batch = batch[:0]
			}
		}
		if err := a.Flush(ctx); err != nil {
			b.Fatal(err)
		}
		var ms runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&ms)
		b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heapMB-queued")
		for done := 0; done < n; {
			it, ok, err := f.Next(ctx)
			if err != nil {
				b.Fatal(err)
			}
			if !ok {
				b.Fatalf("queue ran dry after %d", done)
			}
			if err := f.Done(ctx, it, frontier.StatusDone); err != nil {
				b.Fatal(err)
			}
			done++
		}
		if err := f.Finish(ctx); err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		runtime.ReadMemStats(&ms)
		b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heapMB-done")
		if err := a.Close(); err != nil {
			b.Fatal(err)
		}
	}
}
