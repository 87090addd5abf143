// Package frontier is the crawl queue's vocabulary, shared by the crawler
// that walks a portal and the archive that keeps the queue: what a queued
// URL is expected to be (Kind), one queued URL (Item) and how its fetch
// ended in a run (Status). It holds no state and imports nothing of parc.
//
// The numeric values of Kind and Status are stored in archives: they are
// never renumbered.
package frontier

// Kind tells what a queued URL is expected to be.
type Kind uint8

// Kinds of queued URLs.
const (
	KindListing Kind = 1 // a start page, category or pagination page: followed for links
	KindArticle Kind = 2 // an article page: handed to the crawler's Handler
)

// String returns the kind's name: "listing", "article" or "unknown".
func (k Kind) String() string {
	switch k {
	case KindListing:
		return "listing"
	case KindArticle:
		return "article"
	}
	return "unknown"
}

// Status is the final state of an item in one run.
type Status uint8

// Final states of an item.
const (
	StatusDone   Status = 1 // fetched and handled (including 304 and gone pages)
	StatusFailed Status = 2 // failed after its retries: queued again by the next run
	StatusSkip   Status = 3 // not fetchable (robots, scope, bad URL): never retried
)

// String returns the status's name: "done", "failed", "skipped" or
// "unknown".
func (s Status) String() string {
	switch s {
	case StatusDone:
		return "done"
	case StatusFailed:
		return "failed"
	case StatusSkip:
		return "skipped"
	}
	return "unknown"
}

// Item is one URL in the frontier. Its JSON form (short keys) is how the
// archive stores queued items.
type Item struct {
	URL  string `json:"u"` // cleaned (canon.Clean): what is fetched
	Kind Kind   `json:"k"`
	// Depth counts listing hops from a start URL.
	Depth int `json:"d,omitempty"`
	// Validators for a conditional request, set by the frontier for
	// archived articles it queues again (refresh): sent as If-None-Match
	// and If-Modified-Since.
	ETag         string `json:"e,omitempty"`
	LastModified string `json:"l,omitempty"`
	// Failed, on an item that failed, says how (kept in the failed set
	// for parc stats --failed).
	Failed *Failure `json:"f,omitempty"`
}

// Failure is how an item failed in its run.
type Failure struct {
	Kind     string `json:"k"`           // a failure.Kind
	Status   int    `json:"s,omitempty"` // the HTTP status, when one answered
	Attempts int    `json:"a"`
}

// Added is what one call that queues items did: how many it queued, how
// many of those are articles not in the archive yet (fresh), and how many
// it would have queued but left out because the run's room for new
// entries was used up (dropped).
type Added struct {
	Queued, Fresh, Dropped int
}
