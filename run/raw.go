package run

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/parc-archiver/parc/archive"
	"github.com/parc-archiver/parc/crawler"
	"github.com/parc-archiver/parc/frontier"
	"github.com/parc-archiver/parc/record"
)

// responseCaptures keeps the raw capture of every response
// (archive.keep_raw: all) but those the page handler keeps with their
// record: a 2xx answer to an article. Redirect hops keep their headers
// (and body, when it came compressed).
type responseCaptures struct {
	w   *archive.Writer
	log *slog.Logger
}

// answered is the crawler's Answered hook.
func (r *responseCaptures) answered(ctx context.Context, it frontier.Item, hops []*crawler.Exchange, body []byte, at time.Time) {
	for i, ex := range hops {
		final := i == len(hops)-1
		if final && it.Kind == frontier.KindArticle && ex.Status >= 200 && ex.Status < 300 {
			continue // the article's own capture
		}
		c := &record.Capture{URL: ex.URL, Method: ex.Method, RequestHeader: ex.RequestHeader, Status: ex.Status,
			Header: ex.Header, FetchedAt: at, Wire: true, Proto: ex.Proto, Chunked: ex.Chunked}
		if c.Method == "" {
			c.Method = http.MethodGet
		}
		if final {
			c.Body, c.Raw = body, ex.Raw
		}
		if err := r.w.SubmitResponse(ctx, c); err != nil && ctx.Err() == nil {
			r.log.Warn("response capture not stored", "url", ex.URL, "err", err)
		}
	}
}
