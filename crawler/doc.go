// Package crawler walks a portal with colly and hands every fetched
// article page to a Handler. It knows nothing of storage: the queue and
// seen-set are a Frontier (the archive provides a persistent one).
//
// Model: Run asks the frontier for items and gives them to Parallelism
// workers. Each worker fetches one URL through the run's colly collector,
// synchronously (robots.txt obeyed, allowed domains, per-host delay,
// redirects only within scope and at most MaxRedirects, cookies kept for
// the run), parses the page once with
// htmldoc.Parse, queues its links (article_url and listing_url patterns)
// in one frontier call, then calls the Handler for article pages and
// reports the item Done. The workers are the only concurrency: no
// goroutine per queued URL (colly's Async mode parks one per Visit), no
// OnHTML callbacks (each would be another pass over the page), and the
// transport keeps Parallelism+1 connections per host alive (colly's
// default keeps 2: docs/LIBRARIES.md).
// Network errors, timeouts, truncated bodies (a Content-Length or chunked
// body cut short: net/http reports io.ErrUnexpectedEOF), 5xx and 429 are
// retried with exponential backoff and jitter; Retry-After (seconds or an
// HTTP-date) holds the whole host. Redirect errors (a loop past
// MaxRedirects, a redirect off scope or into a disallowed path) are not
// retried: a loop costs 1 + MaxRedirects requests. A page that fails after
// its retries is reported frontier.StatusFailed, which a persistent frontier keeps
// for the next run. A failure's kind (package failure) is set where it
// happens, on a *FetchError: by the transport for a failed exchange or
// body read, by the redirect policy, by the status check; it decides
// whether the page is retried (failure.Kind.Retryable). Articles that answer 404/410 or redirect to the home
// page reach the Handler with Page.Gone set.
//
// Politeness: robots.txt is fetched once per host and run by the crawler
// itself (colly's check, used before, did not see redirect targets, gave no
// Crawl-delay and cached a 5xx robots.txt as "disallow all"); its rules are
// also applied lower-cased, since IIS portals ignore case. A robots.txt
// that answers 5xx, 429 or not at all is retried like a page, and nothing
// of that host is fetched meanwhile. Requests to one host start at least
// max(Delay, Crawl-delay capped at MaxCrawlDelay) apart, plus an adaptive
// penalty that doubles on each sign of overload and halves on each
// success; all waits use the injected Clock. Scope is the allowed host
// names on the start URLs' ports (or 80/443): another port on the same
// host is another site.
//
// Link discovery walks the parsed tree once per page. What a link string
// resolves to (cleaned URL, scope, kind) is cached for the run, and
// listings already queued in this run are not sent to the frontier again
// (the same menu links are on every page); both caches are bounded and
// emptied when full, so memory does not grow with the portal.
//
// Caveats: a body is read up to one byte more than MaxBodyBytes (colly's
// MaxBodySize truncates silently), and a page that reaches it fails as too
// large. The body is kept as received (the transport's own gzip decoding
// aside; colly decodes gzip the server sends unasked): colly would convert
// a body declared in another charset to UTF-8, so a transport wrapper hides
// that declaration from it and fetch restores it; htmldoc.Parse finds and
// decodes the charset. A body sent
// without Content-Length or chunking, ended by closing the connection,
// cannot be told from a whole one. The frontier, not an in-memory visited
// set, decides what is fetched. Link discovery happens before the Handler
// runs, so a Handler may modify Page.Doc.
package crawler
