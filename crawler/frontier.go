package crawler

import (
	"context"

	"github.com/parc-archiver/parc/frontier"
)

// Frontier is the crawl's queue and seen-set. The archive implements it
// over bbolt so that an interrupted crawl resumes; tests use a memory one.
// Implementations must be safe for concurrent use.
type Frontier interface {
	// Add queues the items whose URL was not queued in this run yet (and,
	// for articles, that are not archived, unless refreshing), at most
	// room of them: the others it would have queued it counts as dropped
	// and forgets. Fresh counts the queued articles not in the archive.
	Add(ctx context.Context, items []frontier.Item, room int) (frontier.Added, error)
	// Next hands out the next queued item that is not already handed out;
	// ok is false when there is none right now.
	Next(ctx context.Context) (it frontier.Item, ok bool, err error)
	// Done records the final state of an item handed out by Next. For an
	// article, Done is called after the Handler returned, so a frontier
	// that commits Done after what the Handler submitted never marks an
	// article done before it is stored.
	Done(ctx context.Context, it frontier.Item, st frontier.Status) error
}
