package archive

import (
	"net/http"
	"time"

	"github.com/parc-archiver/parc/extract"
)

// Record is the export record, schema 1 (SPEC.md). Fields are only ever
// appended, in CSV too; timestamps are RFC 3339 strings, empty when unknown.
type Record struct {
	ID              string          `json:"id"`
	URL             string          `json:"url"`
	URLs            []string        `json:"urls"`
	Title           string          `json:"title"`
	Published       string          `json:"published"`
	Byline          string          `json:"byline"`
	Category        string          `json:"category"`
	Body            string          `json:"body"`
	ContentHash     string          `json:"content_hash"`
	FirstSeen       string          `json:"first_seen"`
	LastSeen        string          `json:"last_seen"`
	Revision        int             `json:"revision"`
	Extraction      string          `json:"extraction"`
	Portal          string          `json:"portal"`
	Modified        string          `json:"modified"`
	LastChanged     string          `json:"last_changed"`
	GoneSince       string          `json:"gone_since"`
	NearDuplicateOf string          `json:"near_duplicate_of"`
	Lead            string          `json:"lead"`
	Tags            []string        `json:"tags"`
	Images          []extract.Image `json:"images"`
	CaptureID       string          `json:"capture_id"`
	CaptureDigest   string          `json:"capture_digest"`
}

// Capture is one HTTP exchange as it went over the wire (the body after
// transfer and content decoding, before any charset conversion).
type Capture struct {
	URL           string // as fetched, after redirects
	Method        string
	RequestHeader http.Header
	Status        int
	Header        http.Header
	Body          []byte
	FetchedAt     time.Time
}

// Page is one fetched article page to store.
type Page struct {
	// URL is where the page was fetched (after redirects, cleaned);
	// Requested is the queued URL when it differs.
	URL       string
	Requested string
	Portal    string
	Article   *extract.Article
	// Capture is the raw response; nil when raw captures are not kept.
	Capture   *Capture
	FetchedAt time.Time
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
	switch o {
	case OutcomeNew:
		return "new"
	case OutcomeRevised:
		return "revised"
	case OutcomeUnchanged:
		return "unchanged"
	case OutcomeAlias:
		return "duplicate"
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
	Record *Record
}
