package export

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/parc-archiver/parc/record"
)

// benchRecords returns n stored records of ~4 KB each (Vietnamese text).
func benchRecords(tb testing.TB, n int) (raws [][]byte, total int64) {
	tb.Helper()
	para := strings.Repeat("Ngày 27/01/2021, Ban Chỉ đạo về bảo vệ nền tảng tư tưởng của Đảng \"BCĐ 35\" họp. ", 9)
	body := strings.Join([]string{para, para, para, para}, "\n\n")
	for i := range n {
		r := record.Record{
			ID: fmt.Sprintf("%016x", i), URL: fmt.Sprintf("https://www.vinachem.com.vn/nd/tin-tap-doan/bai-%d.html", i),
			URLs:  []string{fmt.Sprintf("https://www.vinachem.com.vn/nd/tin-tap-doan/bai-%d.html", i)},
			Title: "Ban chỉ đạo 35 Đảng ủy Tập đoàn tổ chức Hội nghị tổng kết", Published: "2021-01-27T13:39:00+07:00",
			Byline: "HỒNG LIÊN", Category: "Tin tập đoàn", Body: body, ContentHash: "sha256:" + strings.Repeat("ab", 32),
			FirstSeen: "2026-11-27T06:00:00Z", LastSeen: "2026-11-27T06:00:00Z", Revision: 1, Extraction: "profile",
			Portal: "vinachem", LastChanged: "2026-11-27T06:00:00Z", Tags: []string{"Đảng ủy", "BCĐ 35"},
		}
		b, err := json.Marshal(r)
		if err != nil {
			tb.Fatal(err)
		}
		raws = append(raws, b)
		total += int64(len(b))
	}
	return raws, total
}

func benchExport(b *testing.B, opts Options) {
	raws, total := benchRecords(b, 10000)
	src := func(ctx context.Context, fn func([]byte) error) error {
		for _, r := range raws {
			if err := fn(r); err != nil {
				return err
			}
		}
		return nil
	}
	b.SetBytes(total)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Records(context.Background(), io.Discard, src, opts); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkExportJSONL(b *testing.B) { benchExport(b, Options{Format: FormatJSONL}) }
func BenchmarkExportJSONLFields(b *testing.B) {
	benchExport(b, Options{Format: FormatJSONL, Fields: fields("id", "title", "body")})
}
func BenchmarkExportJSON(b *testing.B) { benchExport(b, Options{Format: FormatJSON}) }
func BenchmarkExportCSV(b *testing.B)  { benchExport(b, Options{Format: FormatCSV}) }
func BenchmarkExportAtom(b *testing.B) { benchExport(b, Options{Format: FormatAtom}) }
