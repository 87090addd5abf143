// Package crawler walks a portal with colly and hands every fetched
// article page to a Handler. It knows nothing of storage: the queue and
// seen-set are a Frontier (the archive provides a persistent one).
//
// Model: Run asks the frontier for items and gives them to Parallelism
// workers. Each worker fetches one URL with colly (robots.txt obeyed,
// allowed domains, per-host delay and parallelism, redirects only within
// scope and at most MaxRedirects), parses the page once with
// extract.Parse, queues its links (article_url and listing_url patterns),
// then calls the Handler for article pages and reports the item Done.
// Network errors, timeouts, truncated bodies (a Content-Length or chunked
// body cut short: net/http reports io.ErrUnexpectedEOF), 5xx and 429 are
// retried with exponential backoff and jitter; Retry-After (seconds or an
// HTTP-date) holds the whole host. Redirect errors (a loop past
// MaxRedirects, a redirect off scope or into a disallowed path) are not
// retried: a loop costs 1 + MaxRedirects requests. A page that fails after
// its retries is reported StatusFailed, which a persistent frontier keeps
// for the next run. Articles that answer 404/410 or redirect to the home
// page reach the Handler with Page.Gone set.
//
// Politeness: robots.txt is fetched once per host and run by the crawler
// itself (colly's check is off: it does not see redirect targets, gives no
// Crawl-delay and caches a 5xx robots.txt as "disallow all"); its rules are
// also applied lower-cased, since IIS portals ignore case. A robots.txt
// that answers 5xx, 429 or not at all is retried like a page, and nothing
// of that host is fetched meanwhile. Requests to one host start at least
// max(Delay, Crawl-delay capped at MaxCrawlDelay) apart, plus an adaptive
// penalty that doubles on each sign of overload and halves on each
// success; all waits use the injected Clock. Scope is the allowed host
// names on the start URLs' ports (or 80/443): another port on the same
// host is another site.
//
// Caveats: colly's MaxBodySize silently truncates, so the crawler asks for
// one byte more than MaxBodyBytes and fails pages that reach it. colly
// converts bodies to UTF-8 before its callbacks (legacy charsets become
// U+FFFD), so a wrapping transport keeps the bytes as received for
// extract.Parse and Page.Body. A body sent without Content-Length or
// chunking, ended by closing the connection, cannot be told from a whole
// one. colly's visited set is bypassed (it races under parallelism); the
// frontier decides what is fetched. Link discovery happens before the
// Handler runs, so a Handler may modify Page.Doc.
package crawler
