package crawler

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"time"

	"github.com/gocolly/colly/v2"

	"github.com/parc-archiver/parc/failure"
	"github.com/parc-archiver/parc/internal/canon"
)

// response is one fetched URL after redirects, its body read whole.
type response struct {
	url       *url.URL // after redirects
	status    int
	header    http.Header
	reqHeader http.Header // as sent on the last hop
	body      []byte      // as received (content encoding removed, charset untouched)
	hops      []*Exchange // as on the wire, oldest first (wiretap.go)
}

// newClient builds the HTTP client of a run: the transport (keeping
// Parallelism connections per host alive), a cookie jar (as colly kept),
// the request timeout, and the redirect policy (MaxRedirects, scope and
// robots.txt checked on every hop).
func (c *Crawler) newClient() (*http.Client, error) {
	tr := c.opts.Transport
	if tr == nil {
		tr = newTransport(c.opts.Parallelism, c.opts.Timeout)
	}
	c.robots = newRobots(tr, c.opts.Timeout, c.opts.UserAgent, c.inScope, c.clock)
	c.tap = newWireTap(tr)
	c.robots.tapAnswers(c.tap, c.opts.Answered)
	jar, err := cookiejar.New(nil)
	if err != nil {
		return nil, fmt.Errorf("cookie jar: %w", err)
	}
	return &http.Client{
		Transport: charsetShield{failureTags{c.tap}},
		Jar:       jar,
		Timeout:   c.opts.Timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			return c.checkRedirect(req, len(via))
		},
	}, nil
}

// checkRedirect is the page client's redirect policy, asked before hop
// number hops: a target on another domain makes the page off scope; one
// past MaxRedirects or off scope (another port) is a redirect failure;
// one robots.txt disallows is a robots skip, and one whose robots.txt
// cannot be read a failure.RobotsTxt.
func (c *Crawler) checkRedirect(req *http.Request, hops int) error {
	target := req.URL
	if !canon.SameSite(target.Hostname(), c.opts.AllowedDomains) {
		return fmt.Errorf("not following redirect to %q: %w", target, errForbiddenDomain)
	}
	if hops > c.opts.MaxRedirects {
		return &FetchError{URL: target.String(), Kind: failure.Redirect, Err: errTooManyRedirects}
	}
	if !c.inScope(target) {
		return &FetchError{URL: target.String(), Kind: failure.Redirect, Err: errOffsiteRedirect}
	}
	if !c.opts.RespectRobots {
		return nil
	}
	rb, err := c.robots.get(req.Context(), target)
	switch {
	case err != nil && req.Context().Err() != nil:
		return fmt.Errorf("redirect to %s: %w", target, err) // the run is being stopped
	case err != nil:
		return &FetchError{URL: target.String(), Kind: failure.RobotsTxt, Err: err}
	case !rb.allows(target):
		return fmt.Errorf("redirect to %s: %w", target, errRobotsBlocked)
	}
	return nil
}

func newTransport(parallelism int, timeout time.Duration) *http.Transport {
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:          4 * parallelism,
		MaxIdleConnsPerHost:   parallelism + 1,
		MaxConnsPerHost:       parallelism + 1,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   timeout,
		ResponseHeaderTimeout: timeout,
		ForceAttemptHTTP2:     true,
		// A news page is tens of KB: with the default 4 KB, reading one
		// took ~5 read system calls (colly's io.ReadAll asks for little
		// at a time, which the buffer refills 4 KB per call).
		ReadBufferSize: 64 << 10,
	}
}

// newCollector builds the run's colly collector over client. colly does
// the HTTP exchange: the request, redirects (through client's CheckRedirect:
// scope, MaxRedirects and robots.txt on every hop), the body read up to one
// byte more than MaxBodyBytes (so that "over the limit" shows), gzip a
// server sends unasked. The crawler keeps what colly lacks: its own queue
// (the frontier), robots.txt with retries, pacing, retries with backoff and
// Retry-After, and one parse per page (no OnHTML callbacks: colly parses
// nothing).
func (c *Crawler) newCollector(ctx context.Context, client *http.Client) *colly.Collector {
	// Not colly.NewCollector: it applies COLLY_* environment variables
	// after the options, so COLLY_MAX_BODY_SIZE=0, COLLY_USER_AGENT or
	// COLLY_CACHE_DIR in the environment would silently override parc's
	// settings. Init and the options are all NewCollector does besides.
	coll := &colly.Collector{}
	coll.Init()
	for _, opt := range []colly.CollectorOption{
		colly.StdlibContext(ctx),
		colly.UserAgent(c.opts.UserAgent),
		colly.MaxBodySize(int(c.opts.MaxBodyBytes) + 1),
		colly.AllowURLRevisit(),        // the frontier is the seen-set (colly's check races: docs/LIBRARIES.md)
		colly.IgnoreRobotsTxt(),        // checked by the crawler, retried when robots.txt fails
		colly.ParseHTTPErrorResponse(), // a 404 or 503 is an answer, not a transport error
	} {
		opt(coll)
	}
	coll.SetClient(client)
	coll.OnResponse(func(r *colly.Response) {
		if s, ok := r.Ctx.GetAny(slotKey).(*fetchSlot); ok {
			s.resp = r
		}
	})
	return coll
}

const slotKey = "parc.slot"

// fetchSlot carries one request's response out of colly's callback.
type fetchSlot struct{ resp *colly.Response }

var errNoResponse = errors.New("no response")

// fetch GETs u with hdr through the run's collector. A failed fetch
// returns no response and an error that is a *FetchError (errors.As),
// except for a redirect the crawler skips (errRobotsBlocked,
// errForbiddenDomain) and the run being stopped.
func (c *Crawler) fetch(ctx context.Context, u *url.URL, hdr http.Header) (*response, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	slot := &fetchSlot{}
	cctx := colly.NewContext()
	cctx.Put(slotKey, slot)
	hdr, wire := c.tapped(hdr)
	defer c.tap.close(hdr.Get(wireSlotHeader))
	if err := c.coll.Request(http.MethodGet, u.String(), nil, cctx, hdr); err != nil {
		return nil, fetchFailure(u, err)
	}
	r := slot.resp
	if r == nil || r.Request == nil {
		return nil, &FetchError{URL: u.String(), Kind: failure.Network, Err: errNoResponse}
	}
	h := *r.Headers
	unshieldCharset(h)
	reqHeader := r.Request.Headers.Clone()
	reqHeader.Del(wireSlotHeader)
	return &response{url: r.Request.URL, status: r.StatusCode, header: h, reqHeader: reqHeader, body: r.Body, hops: wire.take()}, nil
}

// tapped returns hdr marked for the wire tap, and the slot that gathers
// the request's exchanges.
func (c *Crawler) tapped(hdr http.Header) (http.Header, *wireSlot) {
	id, slot := c.tap.open()
	hdr = hdr.Clone()
	hdr.Set(wireSlotHeader, id)
	return hdr, slot
}

// fetchFailure returns err, which ended the fetch of u, as a *FetchError
// unless it holds one already (set by failureTags or the redirect policy)
// or it is no failure: a redirect the crawler skips, or the run being
// stopped. What is left failed in the client itself, as when its Timeout
// fires (net/http then reports a net.Error of its own, whose Timeout is
// true, in place of the transport's error).
func fetchFailure(u *url.URL, err error) error {
	var fe *FetchError
	if errors.As(err, &fe) || errors.Is(err, errRobotsBlocked) || errors.Is(err, errForbiddenDomain) || errors.Is(err, context.Canceled) {
		return err
	}
	return &FetchError{URL: u.String(), Kind: ioKind(err), Err: err}
}

// failureTags marks the page transport's failures with their kind where
// they happen: a failed exchange and a failed body read each become a
// *FetchError (Kind from ioKind). net/http passes both on (a url.Error
// wraps the first) and so does colly (it returns io.ReadAll's error as
// is), so that fetch finds the kind with errors.As, and errors.Is finds
// the cause (io.ErrUnexpectedEOF for a body cut short).
type failureTags struct{ next http.RoundTripper }

func (t failureTags) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		return resp, &FetchError{URL: req.URL.String(), Kind: ioKind(err), Err: err}
	}
	resp.Body = &taggedBody{ReadCloser: resp.Body, url: req.URL, status: resp.StatusCode}
	return resp, nil
}

// taggedBody is a response body whose read errors (io.EOF aside) are
// *FetchErrors.
type taggedBody struct {
	io.ReadCloser
	url    *url.URL
	status int
}

func (b *taggedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil && err != io.EOF {
		err = &FetchError{URL: b.url.String(), Status: b.status, Kind: ioKind(err), Err: err}
	}
	return n, err
}

// charsetShield hides a declared non-UTF-8 charset from colly. colly
// converts such a body to UTF-8 before its callbacks run, and the crawler
// needs the bytes as received: for raw captures (WARC), and for
// htmldoc.Parse, which decodes windows-1258 with the page's own meta
// declaration too. The original Content-Type travels in a private header
// that fetch puts back; it never reaches the handler or a capture.
type charsetShield struct{ next http.RoundTripper }

const shieldHeader = "X-Parc-Declared-Content-Type"

func (t charsetShield) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if err != nil || resp == nil {
		return resp, err
	}
	ct := resp.Header.Get("Content-Type")
	if low := strings.ToLower(ct); strings.Contains(low, "charset") && !strings.Contains(low, "utf-8") && !strings.Contains(low, "utf8") {
		resp.Header.Set(shieldHeader, ct)
		mt, _, _ := strings.Cut(ct, ";")
		resp.Header.Set("Content-Type", strings.TrimSpace(mt))
	}
	return resp, nil
}

func unshieldCharset(h http.Header) {
	if ct := h.Get(shieldHeader); ct != "" {
		h.Set("Content-Type", ct)
		h.Del(shieldHeader)
	}
}
