package extract

import (
	"fmt"
	"net/url"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// pageState is what the stages of ExtractDocument know about one page,
// handed from each stage to the next. Fields are set by the stage named
// in their group and only read (or narrowed, like paras) after it.
type pageState struct {
	in   Input
	root *html.Node // the document node
	host string     // in.URL's host name; "" without a URL
	// art holds the fields decided so far.
	art *Article
	// cleaning collects removals, and the tags and images the
	// boilerplate rules find; every stage that removes records there.
	cleaning cleanState

	// Set by candidates.
	meta *pageMeta
	site string // the site's name from metadata, never a byline or title
	// titleEl is the headline element: the profile's title element, else
	// the first <h1> outside page chrome; nil when there is none.
	titleEl *html.Node
	// seenTitle is the title of the visible headline that a
	// machine-readable title repeats (titleEl, see visibleHeadline); ""
	// when there is none.
	seenTitle string
	// profileTitle is the text of the profile's title element; "" when
	// the selector is unset or matched nothing with text.
	profileTitle string
	// bodyEl is the profile's body element; nil when the selector is
	// unset or matched nothing with text.
	bodyEl *html.Node
	// container is the element holding the whole article (title, dates,
	// body): page chrome outside it is not taken for article data. At
	// worst it is <body> or the document node.
	container *html.Node

	// author is the byline candidate: the first dedicated author element
	// (bylineElements), else generic extraction's byline (body), else a
	// dateline's name or the metadata line after the title (byline).
	author string
	// authorRule names where author came from ("author-element",
	// "dateline", "after-title"); "" for generic extraction's byline.
	authorRule string
	// afterTitleRead is set once the metadata line after the title has
	// been looked at for the author (see authorName).
	afterTitleRead bool

	// paras are the body's paragraphs (body), less the metadata lines and
	// closing byline (byline) and the lead paragraph (cleanup).
	paras []para
}

// prepare checks doc and sets up the state of its extraction.
func (x *Extractor) prepare(doc *goquery.Document, in Input) (*pageState, error) {
	if doc == nil || len(doc.Nodes) == 0 || doc.Nodes[0] == nil {
		return nil, fmt.Errorf("extract %s: empty document: %w", pageName(in.URL), ErrNoArticle)
	}
	root := doc.Nodes[0]
	for root.Parent != nil {
		root = root.Parent
	}
	pg := &pageState{
		in:       in,
		root:     root,
		art:      &Article{Fields: make(map[string]string, 8), Rules: make(map[string]string, 4)},
		cleaning: cleanState{x: x, base: in.URL},
	}
	if in.URL != nil {
		pg.host = in.URL.Hostname()
	}
	return pg, nil
}

// assemble completes the Article with what no stage decides, the
// canonical URL and the removals, and returns it; a page that yielded no
// title or no body is ErrNoArticle.
func (pg *pageState) assemble() (*Article, error) {
	art := pg.art
	art.Canonical = canonicalURL(pg.in.URL, pg.meta)
	art.Removed = pg.cleaning.removed
	if art.Title == "" || art.Body == "" {
		what := "title"
		if art.Title != "" {
			what = "body"
		}
		return nil, fmt.Errorf("extract %s: no %s: %w", pageName(pg.in.URL), what, ErrNoArticle)
	}
	return art, nil
}

// canonicalURL is the page's <link rel="canonical">, else its og:url,
// resolved against base; "" when neither resolves.
func canonicalURL(base *url.URL, meta *pageMeta) string {
	if c := meta.canonical; c != "" {
		if u := resolveURL(base, c); u != "" {
			return u
		}
	}
	if og := meta.meta["og:url"]; og != "" {
		return resolveURL(base, og)
	}
	return ""
}

// pageName names the page in errors: its URL, or "page" without one.
// (URL.String allocates: call it on error paths only.)
func pageName(u *url.URL) string {
	if u != nil {
		return u.String()
	}
	return "page"
}
