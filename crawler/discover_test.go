package crawler

import (
	"context"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/parc-archiver/parc/frontier"
	"github.com/parc-archiver/parc/internal/htmldoc"
)

// The regexps discover used before it matched without them: the oracle
// for the string helpers that replaced them.
var (
	oldPageWord = regexp.MustCompile(`(?i)^(\d{1,5}|»|›|>>|>|next|sau|tiếp|trang sau|trang tiếp|xem thêm|cũ hơn|older|more|last|cuối|«|‹|<<|<|prev|previous|trước|trang trước|đầu|first)$`)
	oldPaging   = regexp.MustCompile(`(?i)pag|pager|paging|phan-?trang|trang`)
	oldDigits   = regexp.MustCompile(`\d+`)
)

func TestPaginationHelpersMatchRegexps(t *testing.T) {
	texts := []string{"", " 2 ", "12345", "123456", "0", "Next", "NEXT", "  Trang Sau ", "TIẾP", "Tiếp theo", "»", "» ", "«", ">>", ">", "<", "Xem Thêm", "CŨ HƠN",
		"Đầu", "đầu tiên", "first page", "Prev", "previous", "Trước", "sau", "Sau khi", "1a", "٣", "Trang chủ", "More", "last", "cuối", "‹", "›", "\u00a07\u00a0"}
	for _, s := range texts {
		t.Run("text/"+s, func(t *testing.T) {
			if got, want := isPageWord(s), oldPageWord.MatchString(strings.TrimSpace(s)); got != want {
				t.Errorf("isPageWord(%q) = %v, regexp says %v", s, got, want)
			}
		})
	}
	classes := []string{"", " ", "pager", "Paging", "PAGINATION", "phan-trang", "PhanTrang", "trang", "page-nav", "pa ge", "tran g", "NewsList", "menu main", "ptrang", "paĝ"}
	for _, s := range classes {
		t.Run("class/"+s, func(t *testing.T) {
			if got, want := namesPager(s), oldPaging.MatchString(s); got != want {
				t.Errorf("namesPager(%q) = %v, regexp says %v", s, got, want)
			}
		})
	}
	paths := [][2]string{
		{"/tin-tuc/trang-2.html", "/tin-tuc/trang-13.html"},
		{"/tin-tuc/trang-2.html", "/tin-tuc/trang-.html"},
		{"/a/1/b", "/a/22/b"},
		{"/a/1/b", "/a/22/c"},
		{"/a1", "/a"},
		{"/123", "/4"},
		{"/", "/"},
		{"/x/2024/05", "/x/1/1"},
		{"/x/2024/05", "/x/1/1/"},
		{"/p", "/q"},
	}
	for _, p := range paths {
		t.Run("path/"+p[0]+"~"+p[1], func(t *testing.T) {
			want := oldDigits.ReplaceAllString(p[0], "#") == oldDigits.ReplaceAllString(p[1], "#")
			if got := sameButDigits(p[0], p[1]); got != want {
				t.Errorf("sameButDigits(%q, %q) = %v, regexp says %v", p[0], p[1], got, want)
			}
		})
	}
}

// countingFrontier records each Add call.
type countingFrontier struct {
	*memFrontier
	adds [][]frontier.Item
}

func (f *countingFrontier) Add(ctx context.Context, items []frontier.Item, room int) (frontier.Added, error) {
	f.adds = append(f.adds, slices.Clone(items))
	return f.memFrontier.Add(ctx, items, room)
}

const discoverPage = `<!doctype html><html class="trang"><head><title>t</title></head><body>
<div id="menu"><a href="/cat/news">News</a> <a href="/cat/sport">Sport</a> <a href="https://other.example/x">Other</a></div>
<ul class="list"><li><a href="/a/1.html">One</a></li><li><a href="/a/2.html#c">Two</a></li><li><a href="/a/1.html?utm_source=x">One again</a></li></ul>
<div class="PhanTrang"><span><a href="/cat/news?page=3">3</a></span></div>
<p><a href="/cat/news?page=2"> Trang sau </a> <a href="/cat/news/p2">older stuff</a> <a href="/cat/world">World</a> <map><area href="/a/3.html"></map></p>
<a href="mailto:x@example.com">mail</a> <a href="https://other.example/y">Other 2</a>
</body></html>`

func TestDiscover(t *testing.T) {
	cases := []struct {
		name        string
		incremental bool
		kind        frontier.Kind
		archived    []string
		wantAdds    int
		wantPaging  bool
		wantEarly   int
		wantFresh   int
	}{
		{name: "full crawl, one add", kind: frontier.KindListing, wantAdds: 1, wantPaging: true, wantFresh: 3},
		{name: "incremental listing with new articles", incremental: true, kind: frontier.KindListing, wantAdds: 2, wantPaging: true, wantFresh: 3},
		{name: "incremental listing, nothing new: early stop", incremental: true, kind: frontier.KindListing, archived: []string{"/a/1.html", "/a/2.html", "/a/3.html"}, wantAdds: 1, wantEarly: 1},
		{name: "incremental article page, one add", incremental: true, kind: frontier.KindArticle, archived: []string{"/a/1.html", "/a/2.html", "/a/3.html"}, wantAdds: 1, wantPaging: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fr := &countingFrontier{memFrontier: newMemFrontier()}
			base := "http://portal.test"
			for _, a := range tc.archived {
				fr.archived[base+a] = true
			}
			opts := DefaultOptions()
			opts.StartURLs = []string{base + "/"}
			opts.ArticleURL = regexp.MustCompile(`/a/\d+\.html$`)
			opts.ListingURL = regexp.MustCompile(`/cat/`)
			opts.Incremental = tc.incremental
			c, err := New(opts, fr, nil)
			if err != nil {
				t.Fatal(err)
			}
			pageURL, _ := url.Parse(base + "/cat/news")
			// Twice: the second time links come from the link cache, and
			// the listings, queued already in this run, are not sent again.
			for round := range 2 {
				fr.adds, fr.seen = nil, map[string]bool{}
				c.stats = newStatsRecorder()
				doc, _, err := htmldoc.Parse([]byte(discoverPage), "text/html; charset=utf-8")
				if err != nil {
					t.Fatal(err)
				}
				p := &Page{Item: frontier.Item{URL: base + "/cat/news", Kind: tc.kind}, URL: pageURL, Doc: doc}
				if err := c.discover(context.Background(), p); err != nil {
					t.Fatal(err)
				}
				wantAdds := tc.wantAdds
				if round == 1 {
					wantAdds = 1
				}
				if len(fr.adds) != wantAdds {
					t.Fatalf("round %d: %d frontier adds, want %d", round, len(fr.adds), wantAdds)
				}
				var got []string
				for _, add := range fr.adds {
					for _, it := range add {
						got = append(got, strings.TrimPrefix(it.URL, base)+" "+it.Kind.String())
					}
				}
				want := []string{"/a/1.html article", "/a/2.html article", "/a/3.html article", "/cat/sport listing", "/cat/news/p2 listing", "/cat/world listing"}
				if tc.wantPaging {
					want = append(want, "/cat/news?page=3 listing", "/cat/news?page=2 listing")
				}
				if round == 1 {
					want = want[:3]
				}
				if !slices.Equal(got, want) {
					t.Errorf("round %d: queued\n%q\nwant\n%q", round, got, want)
				}
				st := c.stats.snapshot()
				if st.OffScopeLinks != 2 || st.EarlyStops != tc.wantEarly || st.Discovered != tc.wantFresh {
					t.Errorf("round %d: off-scope links %d (want 2), early stops %d (want %d), discovered %d (want %d)",
						round, st.OffScopeLinks, st.EarlyStops, tc.wantEarly, st.Discovered, tc.wantFresh)
				}
			}
		})
	}
}
