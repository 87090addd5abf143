package extract

import (
	"errors"
	"io"

	"github.com/PuerkitoBio/goquery"
)

// Extractor extracts articles with one compiled profile. It is safe for
// concurrent use.
type Extractor struct {
	opts Options
}

// New compiles opts.Profile. A selector that does not compile is reported as
// a *SelectorError.
func New(opts Options) (*Extractor, error) {
	return &Extractor{opts: opts}, nil
}

// Extract parses an HTML page (decoding its charset from the BOM,
// in.ContentType or a <meta> tag) and extracts the article.
func (x *Extractor) Extract(r io.Reader, in Input) (*Article, error) {
	return nil, errors.New("not implemented")
}

// ExtractDocument extracts the article from an already parsed page. It
// modifies doc (removed elements are detached): collect links first.
func (x *Extractor) ExtractDocument(doc *goquery.Document, in Input) (*Article, error) {
	return nil, errors.New("not implemented")
}

// Parse decodes an HTML page to UTF-8 (charset from the BOM, contentType,
// or a <meta> tag; windows-1258 and other legacy charsets included) and
// parses it once. It returns the charset it decoded from.
func Parse(body []byte, contentType string) (*goquery.Document, string, error) {
	return nil, "", errors.New("not implemented")
}
