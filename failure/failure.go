// Package failure names the ways a page can fail to be archived. The
// crawler sets a Kind where a failure happens (on its typed fetch error),
// run records and metrics count by it, and `parc stats` prints it. A Kind
// is its own stable name: it appears in run records stored in archives,
// in the `failures` keys of `parc stats --json` and as the `kind` label of
// parc_errors_total, so a name is never changed once released.
package failure

// Kind is why a page failed, as a short stable name.
type Kind string

// Kinds of failure. Each is counted once per page, after its retries.
const (
	Network   Kind = "network"    // connection refused, reset, DNS, TLS
	Timeout   Kind = "timeout"    // no answer within crawl.timeout
	Truncated Kind = "truncated"  // the body ended before its Content-Length
	HTTP5xx   Kind = "http-5xx"   // a server error status
	HTTP429   Kind = "http-429"   // Too Many Requests
	HTTP4xx   Kind = "http-4xx"   // another client error status (404, 403, …)
	Redirect  Kind = "redirect"   // too many redirects, a loop, or one off scope
	TooLarge  Kind = "too-large"  // the body exceeds crawl.max_body_bytes
	Parse     Kind = "parse"      // the page could not be decoded or parsed
	Handler   Kind = "handler"    // extraction or storing refused the page
	Panic     Kind = "panic"      // a bug: processing the page panicked (recovered)
	RobotsTxt Kind = "robots-txt" // robots.txt could not be read, so the page was not fetched
	BadURL    Kind = "bad-url"    // the URL cannot be fetched at all
	Store     Kind = "store"      // the archive could not store what the page produced
)

// Kinds lists every kind, in the order above.
func Kinds() []Kind {
	return []Kind{Network, Timeout, Truncated, HTTP5xx, HTTP429, HTTP4xx, Redirect, TooLarge, Parse, Handler, Panic, RobotsTxt, BadURL, Store}
}

// Retryable reports whether a failure of kind k is worth another attempt
// in the same run: a server or network fault that may pass. Client
// errors, redirect errors, oversized and unparseable pages are not.
func (k Kind) Retryable() bool {
	switch k {
	case Network, Timeout, Truncated, HTTP5xx, HTTP429, RobotsTxt:
		return true
	}
	return false
}
