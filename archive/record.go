package archive

import (
	"time"

	"github.com/parc-archiver/parc/record"
)

// Article is the extracted content of one page, as the archive stores it:
// text is collapsed and NFC-checked on the way in, timestamps become RFC
// 3339. The crawl run fills it from the extractor's result; the archive
// knows nothing of extraction.
type Article struct {
	Title     string
	Published time.Time // zero when unknown
	Modified  time.Time // zero when the page does not say
	Byline    string
	Category  string
	Body      string // paragraphs separated by "\n\n"
	Lead      string
	Tags      []string
	Images    []record.Image
	// Canonical is the URL the page names as canonical, unchecked; the
	// archive uses it for the record's URL when it is on the page's site.
	Canonical string
	// Extraction says how the body was found ("profile" or "fallback").
	Extraction string
}

// Page is one fetched article page to store.
type Page struct {
	// URL is where the page was fetched (after redirects, cleaned);
	// Requested is the queued URL when it differs.
	URL       string
	Requested string
	Portal    string
	Article   *Article
	// Capture is the raw response; nil when raw captures are not kept.
	Capture   *record.Capture
	FetchedAt time.Time
	// RunStarted is when the crawl run that fetched the page started: a
	// record it already touched is met again under another URL (a
	// duplicate, not unchanged). Zero: not known.
	RunStarted time.Time
}

// seenSince reports whether lastSeen (RFC 3339, seconds) is at or after t.
func seenSince(lastSeen string, t time.Time) bool {
	ls, err := time.Parse(time.RFC3339, lastSeen)
	return err == nil && !t.IsZero() && !ls.Before(t.Truncate(time.Second))
}

// Outcome is what storing a Page did to the archive.
type Outcome uint8

// Outcomes of storing a page.
const (
	OutcomeNew       Outcome = 1 // a new record
	OutcomeRevised   Outcome = 2 // an existing record got a new revision
	OutcomeUnchanged Outcome = 3 // same content as the current revision; last_seen updated
	OutcomeAlias     Outcome = 4 // the same content under another URL: added to urls
)

func (o Outcome) String() string {
	if names := [...]string{OutcomeNew: "new", OutcomeRevised: "revised", OutcomeUnchanged: "unchanged", OutcomeAlias: "duplicate"}; int(o) < len(names) && names[o] != "" {
		return names[o]
	}
	return "unknown"
}

// Result reports what storing one Page did, once it is committed.
type Result struct {
	ID       string
	Outcome  Outcome
	Revision int
	// Record is the record as stored (for notifications); nil for
	// OutcomeUnchanged.
	Record *record.Record
}
