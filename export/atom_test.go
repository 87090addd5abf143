package export

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
	"github.com/parc-archiver/parc/record"
)

func parseAtom(t *testing.T, out []byte) *gofeed.Feed {
	t.Helper()
	if err := xml.Unmarshal(out, new(struct{})); err != nil {
		t.Fatalf("not well-formed XML: %v\n%s", err, out)
	}
	feed, err := gofeed.NewParser().Parse(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("gofeed: %v\n%s", err, out)
	}
	if feed.FeedType != "atom" || feed.FeedVersion != "1.0" {
		t.Fatalf("feed type %s %s, want atom 1.0", feed.FeedType, feed.FeedVersion)
	}
	return feed
}

func TestExportAtom(t *testing.T) {
	recs := loadRecords(t)
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	out := export(t, recs, Options{Format: FormatAtom, Version: "1.2.3", Portal: "vinachem",
		FeedURL: "http://127.0.0.1:8080/feed.atom", Now: func() time.Time { return now }})
	feed := parseAtom(t, out)

	if feed.Title != "parc vinachem" || feed.Updated != "2026-11-28T06:00:00Z" || feed.FeedLink != "http://127.0.0.1:8080/feed.atom" {
		t.Errorf("feed title %q updated %q link %q", feed.Title, feed.Updated, feed.FeedLink)
	}
	if !bytes.Contains(out, []byte(`<id>urn:parc:feed:vinachem</id>`)) || !bytes.Contains(out, []byte(`version="1.2.3">parc</generator>`)) {
		t.Errorf("feed id or generator missing:\n%s", out)
	}
	// Newest first by when each was news: revision 2 of record 1 changed
	// on 2026-11-28; record 2 (no date on the page) was first seen on
	// 2026-11-26; record 0 was published in 2021.
	order := []int{1, 2, 0}
	if len(feed.Items) != len(order) {
		t.Fatalf("got %d entries, want %d", len(feed.Items), len(order))
	}
	for n, i := range order {
		it, r := feed.Items[n], recs[i]
		if it.GUID != "urn:parc:"+r.ID {
			t.Errorf("entry %d id %q, want urn:parc:%s", n, it.GUID, r.ID)
		}
		if it.Title != strings.TrimSpace(r.Title) || it.Link != r.URL {
			t.Errorf("entry %d title %q link %q, want %q %q", n, it.Title, it.Link, r.Title, r.URL)
		}
		wantUpdated := r.LastChanged
		if wantUpdated == "" {
			wantUpdated = r.FirstSeen
		}
		// gofeed reports updated as published when there is none.
		wantPublished := r.Published
		if wantPublished == "" {
			wantPublished = wantUpdated
		}
		if it.Updated != wantUpdated || it.Published != wantPublished {
			t.Errorf("entry %d updated %q published %q, want %q %q", n, it.Updated, it.Published, wantUpdated, r.Published)
		}
		if r.Byline != "" && (len(it.Authors) != 1 || it.Authors[0].Name != r.Byline) {
			t.Errorf("entry %d authors %v, want %q", n, it.Authors, r.Byline)
		}
		if r.Lead != "" && it.Description != r.Lead {
			t.Errorf("entry %d summary %q, want %q", n, it.Description, r.Lead)
		}
		// The category, then the portal (scheme urn:parc:portal).
		var wantCats []string
		for _, c := range []string{r.Category, r.Portal} {
			if c != "" {
				wantCats = append(wantCats, c)
			}
		}
		if !slices.Equal(it.Categories, wantCats) {
			t.Errorf("entry %d categories %q, want %q", n, it.Categories, wantCats)
		}
		// Content is HTML: one <p> per paragraph, text escaped.
		paras := strings.Split(r.Body, "\n\n")
		if got := strings.Count(it.Content, "<p>"); got != len(paras) {
			t.Errorf("entry %d has %d paragraphs, want %d: %q", n, got, len(paras), it.Content)
		}
	}
	if n := bytes.Count(out, []byte(`term="vinachem" scheme="urn:parc:portal"`)); n != len(feed.Items) {
		t.Errorf("%d entries name their portal in a category of scheme urn:parc:portal, want %d", n, len(feed.Items))
	}
	if n := bytes.Count(out, []byte("<published>")); n != 2 {
		t.Errorf("%d <published> elements, want 2 (none when unknown)", n)
	}
	if got := feed.Items[0].Content; !strings.Contains(got, "<p>Đoạn một, có dấu phẩy; và &#34;ngoặc kép&#34;.</p>") {
		t.Errorf("escaped paragraph missing: %q", got)
	}
	if feed.Items[2].Title != recs[0].Title || !strings.Contains(feed.Items[2].Content, "thế lực thù địch./.") {
		t.Errorf("Vietnamese text lost: %q", feed.Items[2].Title)
	}
}

func TestExportAtomNewestN(t *testing.T) {
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	recs := make([]record.Record, 200)
	for i := range recs {
		recs[i] = record.Record{ID: fmt.Sprintf("id%03d", i), Title: "t", Body: "b", FirstSeen: base.Format(time.RFC3339),
			LastChanged: base.Add(time.Duration(i) * time.Hour).Format(time.RFC3339)}
	}
	shuffled := slices.Clone(recs)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	tests := []struct {
		name  string
		recs  []record.Record
		limit int
		want  int
	}{
		{name: "in order", recs: recs, limit: 5, want: 5},
		{name: "shuffled", recs: shuffled, limit: 7, want: 7},
		{name: "default limit", recs: shuffled, limit: 0, want: DefaultAtomLimit},
		{name: "fewer than limit", recs: shuffled[:3], limit: 10, want: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := export(t, tt.recs, Options{Format: FormatAtom, Limit: tt.limit})
			feed := parseAtom(t, out)
			var got []string
			for _, it := range feed.Items {
				got = append(got, it.GUID)
			}
			var want []string
			sorted := slices.SortedFunc(slices.Values(tt.recs), func(a, b record.Record) int { return strings.Compare(b.LastChanged, a.LastChanged) })
			for _, r := range sorted[:tt.want] {
				want = append(want, AtomEntryID(r.ID))
			}
			if !slices.Equal(got, want) {
				t.Fatalf("entries %q\nwant %q", got, want)
			}
		})
	}
}

// After a first crawl stored years of articles within seconds, the feed
// holds the latest published ones, newest first, not the last stored; an
// old article revised since comes back to the top.
func TestExportAtomAfterInitialImport(t *testing.T) {
	crawled := "2026-11-27T06:00:00Z"
	var recs []record.Record
	for i := range 100 { // stored newest first, as a crawl walks listings
		pub := time.Date(2024, 4, 19, 9, 0, 0, 0, time.UTC).Add(-time.Duration(i) * 24 * time.Hour)
		recs = append(recs, record.Record{ID: fmt.Sprintf("id%03d", i), Title: "t", Body: "b", Revision: 1,
			Published: pub.Format(time.RFC3339), FirstSeen: crawled, LastChanged: crawled})
	}
	recs[90].Revision, recs[90].LastChanged = 2, "2026-11-28T06:00:00Z"
	feed := parseAtom(t, export(t, recs, Options{Format: FormatAtom, Limit: 4}))
	var got []string
	for _, it := range feed.Items {
		got = append(got, it.GUID)
	}
	want := []string{AtomEntryID("id090"), AtomEntryID("id000"), AtomEntryID("id001"), AtomEntryID("id002")}
	if !slices.Equal(got, want) {
		t.Errorf("entries %q, want %q", got, want)
	}
}

// TestExportAtomRevision: a revision keeps the entry id and changes updated.
func TestExportAtomRevision(t *testing.T) {
	v1 := record.Record{ID: "abc", Title: "v1", Body: "x", Revision: 1, LastChanged: "2026-01-01T00:00:00Z"}
	v2 := v1
	v2.Title, v2.Revision, v2.LastChanged = "v2", 2, "2026-01-02T00:00:00Z"
	var ids, updated []string
	for _, r := range []record.Record{v1, v2} {
		var buf bytes.Buffer
		if err := WriteAtom(&buf, []record.Record{r}, Options{}); err != nil {
			t.Fatal(err)
		}
		it := parseAtom(t, buf.Bytes()).Items[0]
		ids, updated = append(ids, it.GUID), append(updated, it.Updated)
	}
	if ids[0] != ids[1] || updated[0] == updated[1] {
		t.Fatalf("ids %q updated %q: want the same id, different updated", ids, updated)
	}
}

func TestExportAtomEmpty(t *testing.T) {
	now := time.Date(2026, 12, 1, 2, 3, 4, 0, time.UTC)
	out := export(t, nil, Options{Format: FormatAtom, Now: func() time.Time { return now }})
	feed := parseAtom(t, out)
	if len(feed.Items) != 0 || feed.Updated != "2026-12-01T02:03:04Z" {
		t.Fatalf("empty feed: %d items, updated %q", len(feed.Items), feed.Updated)
	}
	if feed.Title == "" || !bytes.Contains(out, []byte("<author>")) || !bytes.Contains(out, []byte("<id>urn:parc:feed</id>")) {
		t.Fatalf("empty feed lacks title, author or id:\n%s", out)
	}
}
