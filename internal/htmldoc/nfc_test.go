package htmldoc

import (
	"bytes"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/text/unicode/norm"

	"github.com/parc-archiver/parc/internal/nfc"
	"github.com/parc-archiver/parc/sim"
)

// TestScanText holds scanText (and the nfc checks Parse relies on) to
// utf8.Valid and the norm tables.
func TestScanText(t *testing.T) {
	for _, tc := range []struct {
		name string
		s    string
	}{
		{"empty", ""},
		{"ascii", "Ban Chỉ đạo 35"},
		{"vietnamese nfc", "Thứ tư, 27/01/2021 – “HỒNG LIÊN” … ₫"},
		{"vietnamese nfd", "Thu\u031b\u0301 tu\u031b"},
		{"mark after ascii", "e\u0301"},
		{"lone mark", "\u0301abc"},
		{"not less-than", "a <\u0338 b"},
		{"ohm sign", "10 \u2126"},
		{"en quad", "a\u2000b"},
		{"hangul jamo", "\u1100\u1161"},
		{"cjk compatibility", "\uf900"},
		{"greek ano teleia", "a\u0387"},
		{"reordered marks", "a\u0301\u0316"},
		{"replacement char", "a\ufffdb"},
		{"invalid utf-8", "a\xffb\xe1\x80"},
		{"invalid then mark", "\xffe\u0301"},
		{"emoji", "tin vui 🎉"},
		{"long ascii", "Ban Chi dao 35 Dang uy Tap doan Hoa chat Viet Nam"},
		{"long ascii then invalid", "abcdefghijklmnop\xff"},
		{"long ascii then mark", "abcdefghijklmnoe\u0301xyz"},
		{"mark then long invalid tail", "e\u0301abcdefghijklmnop\xffq"},
		{"surrogate bytes", "abcdefgh\xed\xa0\x80"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := norm.NFC.IsNormalString(tc.s)
			if got := nfc.IsNormalString(tc.s); got != want {
				t.Errorf("nfc.IsNormalString(%q) = %v, norm says %v", tc.s, got, want)
			}
			if got := nfc.IsNormal([]byte(tc.s)); got != want {
				t.Errorf("nfc.IsNormal(%q) = %v, norm says %v", tc.s, got, want)
			}
			valid, inert := scanText([]byte(tc.s))
			if valid != utf8.ValidString(tc.s) {
				t.Errorf("scanText(%q) valid = %v, utf8 says %v", tc.s, valid, !valid)
			}
			if valid && inert && !want {
				t.Errorf("scanText(%q) says inert, but it is not NFC", tc.s)
			}
		})
	}
}

// TestParseNFCReferences checks that Parse yields NFC text and attributes
// whatever the character references decode to, and that skipping the
// tree pass on pages whose references are inert changes nothing.
func TestParseNFCReferences(t *testing.T) {
	for _, tc := range []struct {
		name, page string
		inert      bool // refsInert's answer
	}{
		{"plain", `<p title="Tiêu đề">Thứ tư &amp; &nbsp; &lt;b&gt;</p>`, true},
		{"numeric mark", `<p>Tie&#769;ng Vie&#x323;&#x302;t</p>`, false},
		{"mark in attribute", `<img alt="e&#769;">`, false},
		{"named mark", `<p>a&DownBreve; b</p>`, false},
		{"windows-1252 reference", `<p>&#153; &#150;</p>`, false},
		{"legacy entity prefix", `<p>&copyright &ampxyz &notit; &eacute</p>`, true},
		{"not an entity", `<a href="?a=1&utm_source=x&page=2">x</a>`, true},
		{"invalid numbers", `<p>&#0; &#xD800; &#1114112; &#; &#x;</p>`, true},
		{"vietnamese references", `<p>&#7841; &#x1EA1; &agrave;</p>`, true},
		{"ohm", `<p>&#x2126;</p>`, false},
		{"not-equal", `<p>=&#x338; &ne;</p>`, false},
		{"ampersand at the end", `<p>a &`, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := refsInert([]byte(tc.page)); got != tc.inert {
				t.Errorf("refsInert = %v, want %v", got, tc.inert)
			}
			doc, _, err := Parse([]byte(tc.page), "text/html; charset=utf-8")
			if err != nil {
				t.Fatal(err)
			}
			checkTree(t, doc.Nodes[0])
		})
	}
	// Simulated portal pages take the shortcut; the tree pass must be a
	// no-op on them.
	pages := append([]testPage{simSeedPage(t)}, simPages(t, sim.LayoutVIEApps, 3)...)
	for _, pg := range pages {
		if valid, inert := scanText(pg.body); !valid || !inert || !refsInert(pg.body) {
			t.Errorf("%s: expected an inert page", pg.name)
		}
		doc, _, err := Parse(pg.body, pg.contentType)
		if err != nil {
			t.Fatal(err)
		}
		var before, after bytes.Buffer
		if err := html.Render(&before, doc.Nodes[0]); err != nil {
			t.Fatal(err)
		}
		nfcTree(doc.Nodes[0])
		if err := html.Render(&after, doc.Nodes[0]); err != nil {
			t.Fatal(err)
		}
		if before.String() != after.String() {
			t.Errorf("%s: nfcTree changed a page Parse left alone", pg.name)
		}
	}
}

// checkTree fails t unless every text, comment and attribute value below n
// is valid UTF-8 in NFC.
func checkTree(t *testing.T, n *html.Node) {
	t.Helper()
	if n.Type == html.TextNode || n.Type == html.CommentNode {
		checkText(t, "text", n.Data)
	}
	for _, a := range n.Attr {
		checkText(t, "attribute "+a.Key, a.Val)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		checkTree(t, c)
	}
}

func checkText(t *testing.T, what, s string) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Fatalf("%s is not valid UTF-8: %q", what, s)
	}
	if !norm.NFC.IsNormalString(s) {
		t.Fatalf("%s is not NFC: %+q", what, s)
	}
}
