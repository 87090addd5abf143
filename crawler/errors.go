package crawler

import "errors"

// ErrUnknownPage is what a Handler returns (wrapped) for a gone page
// (Page.Gone) whose article was never archived: the crawler then counts
// the page as a plain failure ("http-4xx" or "redirect") and keeps it for
// the next run, instead of counting an archived article as gone.
var ErrUnknownPage = errors.New("page not in the archive")
