package crawler

import "time"

// Clock is the time source for pacing, backoff, Retry-After and host
// holds, and for Page.FetchedAt and Stats.Duration.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// After returns a channel that receives the time once d has passed.
	After(d time.Duration) <-chan time.Time
}

type realClock struct{}

func (realClock) Now() time.Time                         { return time.Now() }
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }
