package crawler

import (
	"context"
	"errors"
	"io"
	"net"
	"strconv"
	"strings"

	"github.com/parc-archiver/parc/failure"
)

// ErrUnknownPage is what a Handler returns (wrapped) for a gone page
// (Page.Gone) whose article was never archived: the crawler then counts
// the page as a plain failure (failure.HTTP4xx or failure.Redirect) and
// keeps it for the next run, instead of counting an archived article as
// gone.
var ErrUnknownPage = errors.New("page not in the archive")

// FetchError is a page fetch that failed: no usable answer arrived, or
// the answer's status is a failure. Its Kind is set where the failure
// happened (the transport, the body read, the redirect policy, the status
// check), never guessed from an error's text afterwards; Kind.Retryable
// says whether another attempt may help.
type FetchError struct {
	URL    string       // the URL whose fetch failed: the page, or the redirect target refused
	Status int          // the answer's HTTP status; 0 when none arrived
	Kind   failure.Kind // why
	Err    error        // the underlying error; nil for a failure status
}

// Error reads "KIND fetching URL[: status N][: ERR]".
func (e *FetchError) Error() string {
	var b strings.Builder
	b.WriteString(string(e.Kind))
	b.WriteString(" fetching ")
	b.WriteString(e.URL)
	if e.Status != 0 {
		b.WriteString(": status ")
		b.WriteString(strconv.Itoa(e.Status))
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the underlying error.
func (e *FetchError) Unwrap() error { return e.Err }

// Errors of the redirect policy. The first two are failures
// (failure.Redirect, carried by a FetchError); the last two make the page
// a skip, counted apart (Stats.Robots, Stats.OffScope).
var (
	errTooManyRedirects = errors.New("too many redirects")
	errOffsiteRedirect  = errors.New("redirect leaves the allowed domains")
	errForbiddenDomain  = errors.New("domain not allowed")
	errRobotsBlocked    = errors.New("url disallowed by robots.txt")
)

// ioKind names the failure of an exchange or a body read that stopped
// with err: a body cut short is io.ErrUnexpectedEOF (net/http reports it
// for a Content-Length or chunked body that ends early), a timeout is
// context.DeadlineExceeded or a net.Error that says so, and anything else
// (refused, reset, DNS, TLS) is a network failure.
func ioKind(err error) failure.Kind {
	var ne net.Error
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		return failure.Truncated
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return failure.Timeout
	}
	return failure.Network
}
