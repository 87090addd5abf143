// Package record holds the values parc keeps and hands out: the export
// record of an article (Record, schema 1, with its fields in schema order
// as typed Field names) and one raw HTTP exchange (Capture). The archive
// stores them, the export formats write them, webhooks carry them; this
// package only defines them and imports nothing of parc.
package record

import (
	"net/http"
	"time"
)

// Record is the export record, schema 1 (docs/CONTRACT.md). Fields are
// only ever appended, in CSV too; timestamps are RFC 3339 strings, empty
// when unknown. Its JSON encoding (encoding/json) is how archives store
// records: the field order here is the schema order.
type Record struct {
	ID              string   `json:"id"`
	URL             string   `json:"url"`
	URLs            []string `json:"urls"`
	Title           string   `json:"title"`
	Published       string   `json:"published"`
	Byline          string   `json:"byline"`
	Category        string   `json:"category"`
	Body            string   `json:"body"`
	ContentHash     string   `json:"content_hash"`
	FirstSeen       string   `json:"first_seen"`
	LastSeen        string   `json:"last_seen"`
	Revision        int      `json:"revision"`
	Extraction      string   `json:"extraction"`
	Portal          string   `json:"portal"`
	Modified        string   `json:"modified"`
	LastChanged     string   `json:"last_changed"`
	GoneSince       string   `json:"gone_since"`
	NearDuplicateOf string   `json:"near_duplicate_of"`
	Lead            string   `json:"lead"`
	Tags            []string `json:"tags"`
	Images          []Image  `json:"images"`
	CaptureID       string   `json:"capture_id"`
	CaptureDigest   string   `json:"capture_digest"`
}

// Image is one picture of an article with its caption.
type Image struct {
	URL     string `json:"url"`
	Caption string `json:"caption,omitempty"`
}

// Capture is one HTTP exchange as it went over the wire. Body is the
// body after transfer and content decoding, before any charset
// conversion. With Wire set (captures made since parc 0.5), the request
// header is as sent (Host and Accept-Encoding included), the response
// header as received (Content-Encoding and Content-Length kept), and Raw
// holds the body as received when it was content-coded. Without it (older
// captures), the headers are those net/http handed over after decoding.
type Capture struct {
	URL           string // as fetched, after redirects
	Method        string
	RequestHeader http.Header
	Status        int
	Header        http.Header
	Body          []byte
	FetchedAt     time.Time
	// Wire: the headers (and Raw) are as they went over the wire.
	Wire bool
	// Raw is the body as received when it was content-coded (Header's
	// Content-Encoding says how); nil when that is Body.
	Raw []byte
	// Proto is the response's protocol ("HTTP/1.1", "HTTP/2.0"); empty
	// for older captures.
	Proto string
	// Chunked: the body came with Transfer-Encoding chunked (undone).
	Chunked bool
	// WARC, when set, is the capture's WARC records as the archive keeps
	// them: a request record then a response (or revisit) record, one gzip
	// member each, which a WARC export writes as they are. The archive
	// sets it, instead of Body and Raw, only where a caller asks for the
	// records (archive.Filter.WARCRecords).
	WARC []byte
}

// Received returns the body as it was received: Raw when content-coded,
// else Body.
func (c *Capture) Received() []byte {
	if c.Raw != nil {
		return c.Raw
	}
	return c.Body
}
