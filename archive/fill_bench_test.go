package archive

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/parc-archiver/parc/internal/testtool"
)

// benchBody returns a distinct article body of paras paragraphs.
func benchBody(i, paras int) string { return testtool.Body(i, paras) }

// fillArchive stores n distinct articles through the batched writer, with
// a ~32 KB raw capture each when raw is set (NoSync: the fill is set-up,
// not the measurement).
func fillArchive(tb testing.TB, a *Archive, n, paras int, raw bool) {
	tb.Helper()
	w := a.NewWriter(WriterOptions{OnResult: func(p Page, _ Result, err error) {
		if err != nil {
			tb.Error(err)
		}
	}})
	ctx := context.Background()
	now := a.opts.Now()
	for i := range n {
		u := fmt.Sprintf("https://vinachem.com.vn/nd/tin-tap-doan/bai-%d.html", i)
		body := benchBody(i, paras)
		p := page(u, article(fmt.Sprintf("Bài %d: hội nghị tổng kết", i), body), now)
		if raw {
			p.Capture = benchCapture(u, body, now)
		}
		if err := w.Submit(ctx, p); err != nil {
			tb.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
}

// heapPeak samples the Go heap (live and unswept objects) every few
// milliseconds until stop is called, which returns the peak in MB.
func heapPeak() (stop func() float64) {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var (
		peak uint64
		wg   sync.WaitGroup
	)
	done := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			peak = max(peak, s[0].Value.Uint64())
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() float64 {
		close(done)
		wg.Wait()
		return float64(peak) / (1 << 20)
	}
}

// BenchmarkStoreMemory stores 10 000 and 100 000 articles (~3.5 KB of
// text each, batches of 500) and reports the peak Go heap while storing
// and then reading every stored record back (what an export streams; the
// export package's BenchmarkExportArchive* measure the formats): it must
// stay nearly flat
// (issue 8: at 100 000 at most 1.3x its value at 10 000). Takes ~1 min:
//
//	go test -run '^$' -bench StoreMemory -benchtime 1x ./archive
func BenchmarkStoreMemory(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("articles=%d", n), func(b *testing.B) {
			for b.Loop() {
				a, _ := openTest(b, Options{NoSync: true})
				runtime.GC()
				stop := heapPeak()
				start := time.Now()
				fillArchive(b, a, n, 8, false)
				elapsed := time.Since(start)
				storePeak := stop()
				runtime.GC()
				stop = heapPeak()
				if err := a.Records(context.Background(), Filter{}, func(raw []byte) error {
					_, err := io.Discard.Write(raw)
					return err
				}); err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(storePeak, "peak-heap-MB-store")
				b.ReportMetric(stop(), "peak-heap-MB-read")
				b.ReportMetric(float64(n)/elapsed.Seconds(), "writes/s")
				if err := a.Close(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
