package htmldoc

import (
	"bytes"
	"fmt"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/unicode/norm"

	"github.com/parc-archiver/parc/internal/nfc"
)

// Parse decodes an HTML page to UTF-8 (charset from the BOM, contentType,
// or a <meta> tag; windows-1258 and other legacy charsets included) and
// parses it once, up to MaxTags tags. It returns the charset it decoded
// from. Text and attribute values of the document are valid UTF-8 in NFC.
// Scripts and style sheets are in the tree without their text when it
// is much of the page (data scripts such as JSON-LD keep theirs): no
// reader of the tree needs it, and tokenizing it is a fifth of a news
// page's parse. ParseFull keeps it.
func Parse(body []byte, contentType string) (*goquery.Document, string, error) {
	doc, name, _, err := ParseCut(body, contentType)
	return doc, name, err
}

// ParseFull is Parse with the text of every script and style sheet: the
// tree to render a page from (a replay keeps its styles).
func ParseFull(body []byte, contentType string) (*goquery.Document, string, error) {
	doc, name, _, err := parse(body, contentType, false)
	return doc, name, err
}

// ParseCut is Parse that also reports whether the page had more than
// MaxTags tags (the rest was left out).
func ParseCut(body []byte, contentType string) (doc *goquery.Document, charset string, cut bool, err error) {
	return parse(body, contentType, true)
}

func parse(body []byte, contentType string, withoutCode bool) (doc *goquery.Document, charset string, cut bool, err error) {
	b, name, err := decode(body, contentType)
	if err != nil {
		return nil, name, false, err
	}
	b, inert := normalise(b)
	if withoutCode && worthDropping(b) {
		b = dropCode(b)
	}
	end := tagsEnd(b)
	cut, b = end < len(b), b[:end]
	root, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		return nil, name, cut, fmt.Errorf("parse html: %w", err)
	}
	// Character references can decode to combining marks ("e&#769;");
	// when none can, the tree of an inert page is NFC as parsed.
	if !inert || !refsInert(b) {
		nfcTree(root)
	}
	return goquery.NewDocumentFromNode(root), name, cut, nil
}

// MaxTags is how many tags of a page are parsed: the tree of a page costs
// about 260 bytes a tag (element and text nodes), so a page of 10 MB of
// tags would need some 600 MB; past MaxTags (some 30 MB of tree), the
// rest of the page is left out. Real pages have a few thousand tags.
const MaxTags = 100_000

// tagsEnd returns where in b the tag after the first MaxTags starts (len(b)
// when b has no more): what Parse reads of b.
func tagsEnd(b []byte) int {
	n := 0
	for i := 0; i < len(b); {
		j := bytes.IndexByte(b[i:], '<')
		if j < 0 {
			break
		}
		if n++; n > MaxTags {
			return i + j
		}
		i += j + 1
	}
	return len(b)
}

// decode returns body in UTF-8 and the name of the charset it was written
// in (see the package documentation for how that is found).
func decode(body []byte, contentType string) ([]byte, string, error) {
	enc, name, certain := charset.DetermineEncoding(body, contentType)
	if !certain && name != "utf-8" && utf8.Valid(body) {
		// An undeclared or wrongly declared page that is valid UTF-8.
		return body, "utf-8", nil
	}
	if name == "utf-8" || enc == nil {
		return body, name, nil
	}
	b, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		return nil, name, fmt.Errorf("decode %s: %w", name, err)
	}
	return b, name, nil
}

// normalise returns b, UTF-8 text, without a leading byte order mark, with
// invalid bytes replaced by U+FFFD, in NFC. inert reports whether b was
// valid and made of NFC-inert runes only, so that it was NFC already (see
// scanText).
func normalise(b []byte) (out []byte, inert bool) {
	b = bytes.TrimPrefix(b, []byte("\ufeff"))
	valid, inertRunes := scanText(b)
	if !valid {
		// A page declared UTF-8 with stray bytes: never let them through.
		b = bytes.ToValidUTF8(b, []byte("\ufffd"))
	}
	inert = valid && inertRunes
	// A page of NFC-inert runes only is NFC already (Vietnamese in NFC
	// is); others take the full check.
	if !inert && !nfc.IsNormal(b) {
		b = norm.NFC.Bytes(b)
	}
	return b, inert
}
