package extract

import (
	"fmt"
	"io"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/parc-archiver/parc/extract/internal/timeparse"
	"github.com/parc-archiver/parc/internal/htmldoc"
)

// Extractor extracts articles with one compiled profile. It is safe for
// concurrent use.
type Extractor struct {
	opts    Options
	loc     *time.Location
	sel     compiledProfile
	rules   []rule
	bylines *bylineRules
	// timeParser parses printed and machine-readable timestamps.
	timeParser *timeparse.Parser

	// built-in selectors
	articleSel  *selector // article containers
	authorSel   *selector // dedicated byline elements
	leadSel     *selector // lead inside a known article container
	leadPageSel *selector // lead anywhere on the page
	tagsSel     *selector // visible tag links
	timeSel     *selector // <time datetime> and datePublished items
}

// New compiles opts.Profile. A selector that does not compile is reported as
// a *SelectorError, the same one Profile.Validate returns.
func New(opts Options) (*Extractor, error) {
	sel, err := compileProfile(opts.Profile)
	if err != nil {
		return nil, err
	}
	loc := opts.Location
	if loc == nil {
		loc = timeparse.DefaultLocation()
	}
	return &Extractor{
		opts:       opts,
		loc:        loc,
		sel:        sel,
		rules:      defaultRules(),
		bylines:    newBylineRules(),
		timeParser: timeparse.New(),

		articleSel:  mustSelector(`div.cms.view.content, article, [itemtype*="Article"], [itemprop="articleBody"], .article-detail, .detail-content, .news-detail, .post-content, .entry-content`),
		authorSel:   mustSelector(`.author, .author_mail, .author-name, .byline, [rel="author"], [itemprop="author"], div.meta span > label, .tac-gia, .tacgia`),
		leadSel:     mustSelector(`span.summary, [class*="sapo"], .chapeau, .article-lead, .lead, .summary, .description`),
		leadPageSel: mustSelector(`span.summary, [class*="sapo"], .chapeau`),
		tagsSel:     mustSelector(`div.tags a, .tags a, .keywords a, .tag-list a, .tags-list a, .box-tag a`),
		timeSel:     mustSelector(`time[datetime], [itemprop="datePublished"]`),
	}, nil
}

// Extract parses an HTML page (decoding its charset from the BOM,
// in.ContentType or a <meta> tag) and extracts the article.
func (x *Extractor) Extract(r io.Reader, in Input) (*Article, error) {
	body, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read page: %w", err)
	}
	doc, _, err := htmldoc.Parse(body, in.ContentType)
	if err != nil {
		return nil, err
	}
	return x.ExtractDocument(doc, in)
}

// ExtractDocument extracts the article from an already parsed page. It
// modifies doc (removed elements are detached): collect links first.
func (x *Extractor) ExtractDocument(doc *goquery.Document, in Input) (*Article, error) {
	pg, err := x.prepare(doc, in)
	if err != nil {
		return nil, err
	}
	// Each stage decides some fields of the Article and hands what it
	// found to the next in pg. The stages up to tags read what is printed
	// outside the body text, so they run before body, which cleans the
	// body element and may hand the page to generic extraction (which
	// mutates it); byline and cleanup work on the body's paragraphs.
	x.candidates(pg)
	x.headline(pg)
	x.dates(pg)
	x.category(pg)
	x.bylineElements(pg)
	x.leadElement(pg)
	x.tags(pg)
	x.removeTemplate(pg)
	x.body(pg)
	x.byline(pg)
	x.cleanup(pg)
	return pg.assemble()
}
