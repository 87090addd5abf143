package crawler

import "context"

// Kind tells what a queued URL is expected to be.
type Kind uint8

// Kinds of queued URLs.
const (
	KindListing Kind = 1 // a start page, category or pagination page: followed for links
	KindArticle Kind = 2 // an article page: handed to the Handler
)

func (k Kind) String() string {
	switch k {
	case KindListing:
		return "listing"
	case KindArticle:
		return "article"
	}
	return "unknown"
}

// Item is one URL in the frontier.
type Item struct {
	URL  string // cleaned (canon.Clean): what is fetched
	Kind Kind
	// Depth counts listing hops from a start URL.
	Depth int
	// Validators for a conditional request, set by the frontier for
	// archived articles it queues again (refresh): sent as If-None-Match
	// and If-Modified-Since.
	ETag         string
	LastModified string
}

// Status is the final state of an item in this run.
type Status uint8

// Final states reported to Frontier.Done.
const (
	StatusDone   Status = 1 // fetched and handled (including 304 and gone pages)
	StatusFailed Status = 2 // failed after its retries: retried on the next run
	StatusSkip   Status = 3 // not fetchable (robots, scope, bad URL): never retried
)

// Frontier is the crawl's queue and seen-set. The archive implements it
// over bbolt so that an interrupted crawl resumes; tests use a memory one.
// Implementations must be safe for concurrent use.
type Frontier interface {
	// Add queues the items whose URL was not queued in this run yet (and,
	// for articles, that are not archived, unless refreshing). It returns
	// how many of the article items are not in the archive yet.
	Add(ctx context.Context, items []Item) (fresh int, err error)
	// Next hands out the next queued item that is not already handed out;
	// ok is false when there is none right now.
	Next(ctx context.Context) (it Item, ok bool, err error)
	// Done records the final state of an item handed out by Next. For an
	// article, Done is called after the Handler returned, so a frontier
	// that commits Done after what the Handler submitted never marks an
	// article done before it is stored.
	Done(ctx context.Context, it Item, st Status) error
}
