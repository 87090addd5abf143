package archive

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/parc-archiver/parc/archive/internal/capture"
	"github.com/parc-archiver/parc/record"
)

func ids(recs []record.Record) string {
	var s []string
	for _, r := range recs {
		s = append(s, fmt.Sprintf("%s@%d", r.Title, r.Revision))
	}
	return strings.Join(s, " ")
}

func TestRecordsFilters(t *testing.T) {
	clk := newClock()
	a, _ := openTest(t, Options{Now: clk.Now})
	ict := time.FixedZone("ICT", 7*3600)
	put := func(title, cat string, pub time.Time) {
		art := article(title, "Nội dung của "+title)
		art.Category, art.Published = cat, pub
		mustPut(t, a, page("https://vinachem.com.vn/nd/"+strings.ToLower(title)+".html", art, clk.Now()))
		clk.Advance(time.Minute)
	}
	put("A", "Tin tập đoàn", time.Date(2021, 1, 27, 13, 39, 0, 0, ict))
	put("B", "Tin ngành", time.Date(2021, 2, 1, 0, 0, 0, 0, ict))
	put("C", "Tin tập đoàn", time.Time{})
	put("D", "Tin tập đoàn", time.Date(2021, 3, 1, 9, 0, 0, 0, ict))
	tests := []struct {
		name string
		f    Filter
		want string
	}{
		{"all, oldest first", Filter{}, "A@1 B@1 C@1 D@1"},
		{"category ignores case", Filter{Category: "tin TẬP đoàn"}, "A@1 C@1 D@1"},
		{"since excludes undated", Filter{Since: time.Date(2021, 2, 1, 0, 0, 0, 0, ict)}, "B@1 D@1"},
		{"until inclusive", Filter{Until: time.Date(2021, 2, 1, 0, 0, 0, 0, ict)}, "A@1 B@1"},
		{"range and category", Filter{Since: time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC), Until: time.Date(2021, 12, 31, 0, 0, 0, 0, time.UTC), Category: "Tin tập đoàn"}, "A@1 D@1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := ids(records(t, a, tc.f)); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestSinceLast(t *testing.T) {
	ctx := context.Background()
	clk := newClock()
	a, _ := openTest(t, Options{Now: clk.Now})
	put := func(title, body string) {
		mustPut(t, a, page("https://vinachem.com.vn/nd/"+strings.ToLower(title)+".html", article(title, body), clk.Now()))
		clk.Advance(time.Minute)
	}
	// export runs one export under the cursor "nightly" and commits it.
	export := func(all bool) string {
		seq, err := a.CurrentSeq(ctx)
		if err != nil {
			t.Fatal(err)
		}
		got := ids(records(t, a, Filter{SinceLast: "nightly", AllRevisions: all}))
		if err := a.CommitCursor(ctx, "nightly", seq); err != nil {
			t.Fatal(err)
		}
		return got
	}
	put("A", "một")
	put("B", "hai")
	if got := export(false); got != "A@1 B@1" {
		t.Fatalf("round 1: %q", got)
	}
	// Round 2: A unchanged (last_seen only), B revised, C new.
	put("A", "một")
	put("B", "hai, sửa")
	put("C", "ba")
	// An export that is not committed does not move the cursor.
	if got := ids(records(t, a, Filter{SinceLast: "nightly"})); got != "B@2 C@1" {
		t.Fatalf("round 2 preview: %q", got)
	}
	if got := export(false); got != "B@2 C@1" {
		t.Fatalf("round 2: %q", got)
	}
	// Round 3: B revised twice, nothing else; with all revisions only
	// those created after the cursor come out.
	put("B", "hai, sửa lần hai")
	put("B", "hai, sửa lần ba")
	if got := export(true); got != "B@3 B@4" {
		t.Fatalf("round 3: %q", got)
	}
	if got := export(false); got != "" {
		t.Errorf("nothing changed, got %q", got)
	}
	// Another cursor name is independent.
	if got := ids(records(t, a, Filter{SinceLast: "other"})); got != "A@1 B@4 C@1" {
		t.Errorf("fresh cursor: %q", got)
	}
}

func TestCaptures(t *testing.T) {
	ctx := context.Background()
	clk := newClock()
	a, _ := openTest(t, Options{Now: clk.Now, KeepRaw: true})
	url := "https://vinachem.com.vn/nd/a.html"
	fetch := func(body, html string) Result {
		p := page(url, article("T", body), clk.Now())
		p.Capture = &record.Capture{URL: url, Status: 200, Header: http.Header{"Content-Type": {"text/html; charset=utf-8"}},
			RequestHeader: http.Header{"User-Agent": {"parc/test"}}, Body: []byte(html), FetchedAt: clk.Now()}
		clk.Advance(time.Hour)
		return mustPut(t, a, p)
	}
	r1 := fetch("v1", "<p>v1</p>")
	if !strings.HasPrefix(r1.Record.CaptureID, "<urn:uuid:") || r1.Record.CaptureDigest != capture.PayloadDigest([]byte("<p>v1</p>")) {
		t.Fatalf("capture link: %q %q", r1.Record.CaptureID, r1.Record.CaptureDigest)
	}
	fetch("v1", "<p>v1</p><!-- refetch -->") // unchanged: capture kept, linked from history
	fetch("v2", "<p>v2</p>")
	h := mustGet(t, a, url)
	if len(h.Revisions[0].Refetches) != 1 {
		t.Errorf("refetch capture not linked: %+v", h.Revisions[0])
	}
	collect := func(f Filter) []string {
		var got []string
		err := a.Captures(ctx, f, func(c *record.Capture, id, digest string) error {
			if digest != capture.PayloadDigest(c.Body) || c.Status != 200 || c.Header.Get("Content-Type") == "" || c.RequestHeader.Get("User-Agent") != "parc/test" {
				t.Errorf("capture %s: %+v", id, c)
			}
			got = append(got, string(c.Body))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	if got := collect(Filter{}); fmt.Sprint(got) != "[<p>v2</p>]" {
		t.Errorf("current captures: %q", got)
	}
	if got := collect(Filter{AllRevisions: true}); fmt.Sprint(got) != "[<p>v1</p> <p>v1</p><!-- refetch --> <p>v2</p>]" {
		t.Errorf("all captures: %q", got)
	}
}
