package main

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/parc-archiver/parc/archive"
)

// --since and --until with a bare date mean that day in portal.timezone,
// not in UTC: 2024-01-01T02:21+07:00 is 2023-12-31 in UTC but 1 January in
// Hanoi.
func TestExportDateBoundsAreDaysInThePortalsTimezone(t *testing.T) {
	ict := time.FixedZone("", 7*3600)
	cfg := testArchive(t, "Asia/Ho_Chi_Minh", func(put func(url string, art *archive.Article, at time.Time) archive.Result) {
		for i, pub := range []time.Time{time.Date(2023, 12, 31, 23, 30, 0, 0, ict), time.Date(2024, 1, 1, 2, 21, 0, 0, ict)} {
			put(fmt.Sprintf("https://vinachem.com.vn/tin/%d.html", i),
				&archive.Article{Title: fmt.Sprintf("Tin %d", i), Body: fmt.Sprintf("Nội dung của tin số %d, riêng biệt.", i), Published: pub}, time.Now())
		}
	})
	for _, tc := range []struct {
		flags []string
		want  string // titles, in export order
	}{
		{[]string{"--until", "2023-12-31"}, "Tin 0"},
		{[]string{"--since", "2024-01-01"}, "Tin 1"},
		{[]string{"--since", "2023-12-31", "--until", "2023-12-31"}, "Tin 0"},
		{[]string{"--until", "2023-12-31T19:00:00Z"}, "Tin 0"}, // RFC 3339 is an instant, as before
	} {
		var out, errOut bytes.Buffer
		args := append([]string{"export", "--config", cfg, "--format", "csv", "--fields", "title"}, tc.flags...)
		if err := runParc(context.Background(), args, strings.NewReader(""), &out, &errOut); err != nil {
			t.Fatalf("%v: %v: %s", tc.flags, err, errOut.String())
		}
		got := strings.Join(strings.Fields(strings.TrimPrefix(out.String(), "title\n")), " ")
		if got != tc.want {
			t.Errorf("%v: exported %q, want %q", tc.flags, got, tc.want)
		}
	}
}
