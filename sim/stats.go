package sim

import "sync/atomic"

// Stats counts the requests a Portal answered, by class. Faults counts
// each fault served, so tests can assert that a crawl met every one.
type Stats struct {
	Total       int64 // every request
	Home        int64 // "/" and /Default.aspx
	Listing     int64 // category pages, any page number
	Article     int64 // article pages answered 200 (print views included)
	Print       int64 // print views (also counted in Article)
	Robots      int64 // /robots.txt
	Disallowed  int64 // paths robots.txt disallows (/Admin/, drafts)
	NotModified int64 // 304 answers to conditional requests
	Gone        int64 // 404 for a removed article that listings still link
	NotFound    int64 // other 404s
	Faults      FaultStats
	Hostile     HostileStats
}

// HostileStats counts the pages of hostile mode served.
type HostileStats struct {
	Bombs       int64 // gzip bombs started (either kind)
	RetryAfter  int64 // 503 answers with Retry-After: 999999999
	Links       int64 // pages of many links
	LinkTargets int64 // pages those links lead to
	LongLink    int64 // pages with a link over 8 KB
}

// FaultStats counts faults served in faults mode.
type FaultStats struct {
	Unavailable      int64 // 503 answers
	TooManyRequests  int64 // 429 with Retry-After in seconds
	TooManyUntilDate int64 // 429 with Retry-After as an HTTP-date
	Slow             int64 // stalled first responses
	Truncated        int64 // bodies cut short of Content-Length
	Windows1258      int64 // pages served in windows-1258 (NFD tone marks)
	Malformed        int64 // pages served with unclosed tags
	RedirectLoop     int64 // redirects of the endless loop
	Offsite          int64 // redirects to Options.OffsiteURL
	Huge             int64 // huge pages started
}

// counter indexes.
const (
	cTotal = iota
	cHome
	cListing
	cArticle
	cPrint
	cRobots
	cDisallowed
	cNotModified
	cGone
	cNotFound
	cF503
	cF429
	cF429Date
	cFSlow
	cFTrunc
	cF1258
	cFMalformed
	cFLoop
	cFOffsite
	cFHuge
	cHBomb
	cHRetryAfter
	cHLinks
	cHLinkTarget
	cHLongLink
	nCounters
)

type counters [nCounters]atomic.Int64

func (c *counters) inc(i int) { c[i].Add(1) }

// Requests returns a snapshot of the request counters.
func (p *Portal) Requests() Stats {
	c := &p.stats
	return Stats{
		Total: c[cTotal].Load(), Home: c[cHome].Load(), Listing: c[cListing].Load(),
		Article: c[cArticle].Load(), Print: c[cPrint].Load(), Robots: c[cRobots].Load(),
		Disallowed: c[cDisallowed].Load(), NotModified: c[cNotModified].Load(),
		Gone: c[cGone].Load(), NotFound: c[cNotFound].Load(),
		Faults: FaultStats{
			Unavailable: c[cF503].Load(), TooManyRequests: c[cF429].Load(), TooManyUntilDate: c[cF429Date].Load(),
			Slow: c[cFSlow].Load(), Truncated: c[cFTrunc].Load(), Windows1258: c[cF1258].Load(),
			Malformed: c[cFMalformed].Load(), RedirectLoop: c[cFLoop].Load(), Offsite: c[cFOffsite].Load(),
			Huge: c[cFHuge].Load(),
		},
		Hostile: HostileStats{
			Bombs: c[cHBomb].Load(), RetryAfter: c[cHRetryAfter].Load(), Links: c[cHLinks].Load(),
			LinkTargets: c[cHLinkTarget].Load(), LongLink: c[cHLongLink].Load(),
		},
	}
}
