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
// Network errors, timeouts, truncated bodies, 5xx and 429 are retried with
// exponential backoff and jitter; Retry-After holds the whole host.
// A page that fails after its retries is reported StatusFailed, which a
// persistent frontier keeps for the next run.
//
// Caveats: colly's MaxBodySize silently truncates, so the crawler asks for
// one byte more than MaxBodyBytes and fails pages that reach it. colly's
// visited set is bypassed (it races under parallelism); the frontier
// decides what is fetched. Link discovery happens before the Handler runs,
// so a Handler may modify Page.Doc.
package crawler
