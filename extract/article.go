package extract

import (
	"github.com/parc-archiver/parc/extract/template"
	"net/url"
	"time"
)

// Extraction methods recorded in Article.Extraction and Article.Fields.
const (
	MethodProfile   = "profile"   // the profile's CSS selector matched
	MethodFallback  = "fallback"  // generic extraction (no selector, or it matched nothing)
	MethodMeta      = "meta"      // machine-readable metadata (meta tags, JSON-LD, <time datetime>)
	MethodHeuristic = "heuristic" // parc's own rules (byline position, date text near the title)
)

// Profile holds a portal's CSS selectors (goquery/cascadia syntax). Every
// field is optional: an empty selector, or one that matches nothing, makes
// that field fall back to generic extraction.
type Profile struct {
	Title     string
	Published string
	Modified  string
	Byline    string
	Body      string
	Category  string
	Lead      string
	Tags      string
	// Remove lists selectors whose elements are deleted before extraction
	// (sponsor blocks, share bars, related links).
	Remove []string
}

// Options configures an Extractor. The zero value works: generic
// extraction in Asia/Ho_Chi_Minh.
type Options struct {
	Profile Profile
	// Location is used for timestamps printed without a zone; nil means
	// Asia/Ho_Chi_Minh (UTC+7).
	Location *time.Location
	// Explain records every removal in Article.Removed with its text.
	Explain bool
	// Template is the portal's template model, applied to the pages of
	// its hosts only; nil: none.
	Template *template.Model
}

// Input describes where a page came from.
type Input struct {
	// URL is the page's address, used to resolve relative links and
	// canonical URLs. It may be nil.
	URL *url.URL
	// FetchedAt resolves relative dates ("2 giờ trước", "Hôm qua 08:16").
	// The zero value disables relative dates.
	FetchedAt time.Time
	// ContentType is the response's Content-Type header, consulted for the
	// charset by Extract (not by ExtractDocument).
	ContentType string
}

// Article is what parc archives from one page. Text fields are UTF-8 NFC
// with whitespace collapsed; Body holds paragraphs separated by "\n\n".
type Article struct {
	Title     string
	Published time.Time // zero when unknown
	Modified  time.Time // zero when the page does not say
	Byline    string
	Category  string
	Body      string
	Lead      string
	Tags      []string
	Images    []Image
	// Canonical is the absolute URL the page names as canonical
	// (<link rel="canonical"> or og:url), unchecked for scope; empty when none.
	Canonical string
	// Extraction is MethodProfile or MethodFallback: how Body was found.
	Extraction string
	// Fields maps a field name (title, published, modified, byline, body,
	// category, lead, tags) to the Method* that produced it.
	Fields map[string]string
	// Rules maps a field (title, published, byline, lead, body-start) to
	// the stage and rule that decided it, "stage/rule" (e.g.
	// "headline/visible-match", "dates/jsonld-offset",
	// "byline/author-element"): what --explain prints beside Fields.
	Rules map[string]string `json:",omitempty"`
	// Removed is the audit trail of what extraction removed and by which rule.
	Removed []Removal
}

// Image is one picture of the article with its caption.
type Image struct {
	URL     string `json:"url"`
	Caption string `json:"caption,omitempty"`
}

// Removal records one piece of a page that extraction removed.
type Removal struct {
	Rule string `json:"rule"`           // rule name, e.g. "sponsor-links", "profile-remove", "link-density"
	What string `json:"what,omitempty"` // selector or element description
	Text string `json:"text,omitempty"` // the removed text, shortened (full with Options.Explain)
}
