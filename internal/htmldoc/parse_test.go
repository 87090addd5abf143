package htmldoc

import (
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

func TestParseCharsets(t *testing.T) {
	for _, tc := range []struct {
		name, ct, want string
		body           []byte
		text           string // the <p>'s text; "" skips the comparison
	}{
		{"bom", "", "utf-8", append([]byte("\xef\xbb\xbf"), []byte("<p>Tiếng Việt</p>")...), "Tiếng Việt"},
		{"header", "text/html; charset=utf-8", "utf-8", []byte("<p>Tiếng Việt</p>"), "Tiếng Việt"},
		{"meta", "", "windows-1252", []byte(`<meta charset="windows-1252"><p>caf` + "\xe9</p>"), "café"},
		{"undeclared-utf8", "", "utf-8", []byte("<p>Tiếng Việt</p>"), "Tiếng Việt"},
		{"nfd-input", "", "utf-8", []byte(norm.NFD.String("<p>Tiếng Việt</p>")), "Tiếng Việt"},
		{"undeclared-legacy", "", "windows-1252", []byte("<p>caf\xe9</p>"), "café"},
		{"meta-wrong-for-utf8", "", "utf-8", []byte(`<meta charset="windows-1258"><p>Tiếng Việt</p>`), "Tiếng Việt"},
		{"header-alias", "text/html; charset=ISO-8859-1", "windows-1252", []byte("<p>caf\xe9</p>"), "café"},
		{"header-unknown", "text/html; charset=nonsense", "utf-8", []byte("<p>Tiếng Việt</p>"), "Tiếng Việt"},
		{"header-beats-meta", "text/html; charset=windows-1252", "windows-1252", []byte(`<meta charset="utf-8"><p>caf` + "\xe9</p>"), "café"},
		{"stray-bytes", "text/html; charset=utf-8", "utf-8", []byte("<p>caf\xe9 \xed\xa0\x80</p>"), "caf\ufffd \ufffd"},
		{"utf-16-bom", "", "utf-16le", []byte("\xff\xfe<\x00p\x00>\x00a\x00"), "a"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc, cs, err := Parse(tc.body, tc.ct)
			if err != nil {
				t.Fatal(err)
			}
			if cs != tc.want {
				t.Errorf("charset = %q, want %q", cs, tc.want)
			}
			txt := doc.Find("p").Text()
			if !norm.NFC.IsNormalString(txt) || strings.HasPrefix(txt, "\ufeff") || txt == "" {
				t.Errorf("text %q not clean NFC", txt)
			}
			if tc.text != "" && txt != tc.text {
				t.Errorf("text = %q, want %q", txt, tc.text)
			}
			checkTree(t, doc.Nodes[0])
		})
	}
}

// TestParseWindows1258 decodes windows-1258, whose tone marks are
// combining characters, to precomposed NFC text, whether the charset is
// declared in the header or in a <meta> tag.
func TestParseWindows1258(t *testing.T) {
	const cp1258 = "Ha\xcc N\xf4\xf2i \xd0a\xecng" // "Hà Nội Đáng", tone marks combining
	for _, tc := range []struct {
		name, contentType, page string
	}{
		{"header", "text/html; charset=windows-1258", "<p>" + cp1258 + "</p>"},
		{"meta", "text/html", "<meta charset=windows-1258><p>" + cp1258 + "</p>"},
		{"http-equiv", "", "<meta http-equiv=Content-Type content='text/html; charset=windows-1258'><p>" + cp1258},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc, cs, err := Parse([]byte(tc.page), tc.contentType)
			if err != nil {
				t.Fatal(err)
			}
			if cs != "windows-1258" {
				t.Errorf("charset = %q", cs)
			}
			if got := doc.Find("p").Text(); got != "Hà Nội Đáng" {
				t.Errorf("text = %+q, want %+q", got, "Hà Nội Đáng")
			}
		})
	}
}
