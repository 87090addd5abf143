// Package serve is parc's read-only web pages over an archive: the home
// page (counts, articles per month, last runs), an article with its
// revisions, two revisions side by side, a raw capture replayed from the
// archive, the Atom feed, and full-text search.
//
// # Model
//
// A Server is an http.Handler. It borrows the archive for each request
// from a Source and gives it back when the page is rendered: an Opener
// opens the file read-only for the request (shared by the requests in
// flight) and closes it after, so that a crawl that starts finds it free;
// a Lender (parc watch) lends the handle of the crawl in progress, and
// otherwise opens as an Opener does. While another process's crawl holds
// the archive, a page that needs it answers 503 with Retry-After
// ("archive busy").
//
// Options.Portals restricts every page to some portals (parc serve
// --portal): the others' articles, diffs and captures are 404 as unknown
// ones, and search, the home page and the feed leave them out.
//
// # Safety
//
// Every page is rendered with html/template (every value escaped), loads
// nothing from another host (no fonts, scripts or images from outside;
// pictures of an article are listed as links, not shown), and carries a
// Content-Security-Policy that allows no script, X-Content-Type-Options:
// nosniff and X-Frame-Options: DENY. A replayed capture carries
// CaptureCSP, whose sandbox runs no script even when the capture is opened
// directly; its links lead back into the archive (/go?url=) and its
// pictures become placeholders. Methods other than GET and HEAD get 405.
package serve
