package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/parc-archiver/parc/record"
	"github.com/parc-archiver/parc/runrecord"
)

// Event types.
const (
	EventArticleNew     = "article.new"
	EventArticleRevised = "article.revised"
	EventProfileDrift   = "profile_drift"
	EventCrawlFailed    = "crawl.failed"
)

// Headers of a delivery.
const (
	HeaderSignature = "X-Parc-Signature"
	HeaderEvent     = "X-Parc-Event"
	HeaderEventID   = "X-Parc-Event-Id"
)

// Event is the JSON body of a delivery.
type Event struct {
	// ID identifies the event across attempts and webhooks.
	ID string `json:"id"`
	// Event is the event type (EventArticleNew, …).
	Event string `json:"event"`
	// Time is when the event was raised (RFC 3339 UTC).
	Time   string `json:"time"`
	Portal string `json:"portal,omitempty"`
	// Article is the export record (article events).
	Article *record.Record `json:"article,omitempty"`
	// Stats are the run's statistics (profile_drift, crawl.failed).
	Stats *runrecord.Run `json:"stats,omitempty"`
	// Drift is the drift verdict (profile_drift): a monitor.Verdict.
	Drift any `json:"drift,omitempty"`
	// Error says why the run failed (crawl.failed).
	Error string `json:"error,omitempty"`
}

// ArticleEvent is an article.new or article.revised event for rec. Its id,
// "<event>:<record id>:<revision>", is the same whenever the same revision
// is announced again.
func ArticleEvent(event string, rec *record.Record, portal string, now time.Time) Event {
	return Event{
		ID:      event + ":" + rec.ID + ":" + strconv.Itoa(rec.Revision),
		Event:   event,
		Time:    now.UTC().Format(time.RFC3339),
		Portal:  portal,
		Article: rec,
	}
}

// RunEvent is a profile_drift or crawl.failed event about one run, with id
// "<event>:<run key>" (runKey: e.g. the run's start time in nanoseconds).
func RunEvent(event, runKey string, stats runrecord.Run, portal string, now time.Time) Event {
	return Event{ID: event + ":" + runKey, Event: event, Time: now.UTC().Format(time.RFC3339), Portal: portal, Stats: &stats}
}

// Sign returns the X-Parc-Signature value for body under secret:
// "sha256=" + lower-case hex HMAC-SHA256(secret, body).
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Verify reports whether header is the valid signature of body under
// secret (constant-time comparison), as a receiver checks it.
func Verify(secret string, body []byte, header string) bool {
	hexSig, ok := strings.CutPrefix(header, "sha256=")
	if !ok {
		return false
	}
	got, err := hex.DecodeString(hexSig)
	if err != nil {
		return false
	}
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return hmac.Equal(got, m.Sum(nil))
}

// Webhook is one endpoint.
type Webhook struct {
	URL    string
	Secret string
}

// Options configures a Notifier. Zero values mean the defaults below.
type Options struct {
	Webhooks []Webhook
	// Client sends the requests; nil means a client with Timeout.
	Client *http.Client
	// Timeout bounds one attempt; 0 means 10s.
	Timeout time.Duration
	// UserAgent is sent with each request; empty means "parc".
	UserAgent string
	// Attempts is how many times Deliver tries an entry in one call
	// before leaving it for a later call; 0 means 3.
	Attempts int
	// Backoff is the wait after the first failed attempt, doubled after
	// each further failure (across calls too) up to MaxBackoff; 0 means
	// 1s, MaxBackoff 0 means 1h.
	Backoff, MaxBackoff time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Sleep waits d or until ctx ends; nil means a real timer. Tests pass
	// one that returns at once.
	Sleep func(ctx context.Context, d time.Duration) error
	// Logger receives diagnostics; nil discards them.
	Logger *slog.Logger
}

// Notifier builds and delivers events. It is safe for concurrent use,
// but Deliver must not run concurrently on one outbox.
type Notifier struct {
	opts    Options
	log     *slog.Logger
	secrets map[string]string
}

// New returns a Notifier for opts.Webhooks.
func New(opts Options) *Notifier {
	if opts.Timeout <= 0 {
		opts.Timeout = 10 * time.Second
	}
	if opts.Client == nil {
		opts.Client = &http.Client{Timeout: opts.Timeout}
	}
	// A delivery never follows a redirect: the signed event, article text
	// included, must not be re-posted to whatever host a Location names
	// (an internal address, a metadata service). A 3xx is a failure.
	noRedirects := *opts.Client
	noRedirects.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	opts.Client = &noRedirects
	if opts.UserAgent == "" {
		opts.UserAgent = "parc"
	}
	if opts.Attempts <= 0 {
		opts.Attempts = 3
	}
	if opts.Backoff <= 0 {
		opts.Backoff = time.Second
	}
	if opts.MaxBackoff <= 0 {
		opts.MaxBackoff = time.Hour
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Sleep == nil {
		opts.Sleep = sleep
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	n := &Notifier{opts: opts, log: log.With("component", "notify"), secrets: map[string]string{}}
	for _, w := range opts.Webhooks {
		n.secrets[w.URL] = w.Secret
	}
	return n
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Enabled reports whether any webhook is configured.
func (n *Notifier) Enabled() bool { return len(n.opts.Webhooks) > 0 }

// Build encodes ev once and returns one outbox entry per webhook (none
// when no webhook is configured).
func (n *Notifier) Build(ev Event) ([]Entry, error) {
	if len(n.opts.Webhooks) == 0 {
		return nil, nil
	}
	body, err := json.Marshal(ev)
	if err != nil {
		return nil, fmt.Errorf("encode event %s: %w", ev.ID, err)
	}
	out := make([]Entry, len(n.opts.Webhooks))
	for i, w := range n.opts.Webhooks {
		out[i] = Entry{Target: w.URL, EventID: ev.ID, Event: ev.Event, Body: body, Created: n.opts.Now().UTC()}
		if ev.Article != nil {
			out[i].RecordID = ev.Article.ID
		}
	}
	return out, nil
}

// Send makes one attempt at delivering e: a signed POST. A non-2xx answer,
// a redirect included (never followed), is an error wrapping ErrStatus.
func (n *Notifier) Send(ctx context.Context, e Entry) error {
	ctx, cancel := context.WithTimeout(ctx, n.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.Target, bytes.NewReader(e.Body))
	if err != nil {
		return fmt.Errorf("webhook %s: %w", e.Target, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", n.opts.UserAgent)
	req.Header.Set(HeaderEvent, e.Event)
	req.Header.Set(HeaderEventID, e.EventID)
	if secret := n.secrets[e.Target]; secret != "" {
		req.Header.Set(HeaderSignature, Sign(secret, e.Body))
	}
	resp, err := n.opts.Client.Do(req)
	if err != nil {
		return fmt.Errorf("webhook %s: %w", e.Target, err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode >= 300 && resp.StatusCode <= 399 {
		return fmt.Errorf("webhook %s: %w: %s (redirects are not followed; configure the final URL)", e.Target, ErrStatus, resp.Status)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("webhook %s: %w: %s", e.Target, ErrStatus, resp.Status)
	}
	return nil
}

// Report counts what one Deliver call did.
type Report struct {
	Delivered int // answered 2xx, removed from the outbox
	Failed    int // still failing after this call's attempts (kept, with a later NextAttempt)
	Deferred  int // not tried: their webhook failed earlier in this call
	Dropped   int // their webhook is no longer configured (removed)
}

// Deliver sends every due entry of ob, oldest first. Each entry gets up to
// Options.Attempts tries with exponential backoff between them; when they
// all fail, the entry keeps its attempt count and a next-attempt time, and
// the rest of that webhook's entries wait for a later call. It returns
// early when ctx ends (what was settled stays settled).
func (n *Notifier) Deliver(ctx context.Context, ob Outbox) (Report, error) {
	var (
		rep   Report
		after uint64
	)
	down := map[string]bool{}
	for {
		// A page at a time: after a first crawl the outbox may hold an
		// event per archived article.
		due, err := ob.Pending(ctx, n.opts.Now(), after, deliverPage)
		if err != nil || len(due) == 0 {
			return rep, err
		}
		for _, e := range due {
			after = e.Seq
			if err := n.deliverOne(ctx, ob, e, down, &rep); err != nil {
				return rep, err
			}
		}
	}
}

// deliverPage is how many outbox entries Deliver holds in memory.
const deliverPage = 64

// deliverOne makes up to Attempts attempts at e, unless its target failed
// already in this Deliver call, and records the outcome.
func (n *Notifier) deliverOne(ctx context.Context, ob Outbox, e Entry, down map[string]bool, rep *Report) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if _, ok := n.secrets[e.Target]; !ok {
		n.log.Warn("dropping a delivery to a webhook no longer configured", "target", e.Target, "event", e.EventID)
		if err := ob.MarkDelivered(ctx, e.Seq); err != nil {
			return err
		}
		rep.Dropped++
		return nil
	}
	if down[e.Target] {
		rep.Deferred++
		return nil
	}
	var sendErr error
	for try := 0; try < n.opts.Attempts; try++ {
		if try > 0 {
			if err := n.opts.Sleep(ctx, n.backoff(e.Attempts-1)); err != nil {
				return err
			}
		}
		if sendErr = n.Send(ctx, e); sendErr == nil {
			break
		}
		e.Attempts++
		n.log.Debug("webhook attempt failed", "target", e.Target, "event", e.EventID, "attempt", e.Attempts, "err", sendErr)
	}
	if sendErr == nil {
		if err := ob.MarkDelivered(ctx, e.Seq); err != nil {
			return err
		}
		rep.Delivered++
		return nil
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	down[e.Target] = true
	rep.Failed++
	next := n.opts.Now().Add(n.backoff(e.Attempts - 1))
	n.log.Warn("webhook delivery failed; will retry", "target", e.Target, "event", e.EventID, "attempts", e.Attempts, "next", next.UTC().Format(time.RFC3339), "err", sendErr)
	e.NextAttempt, e.LastError = next, sendErr.Error()
	return ob.MarkFailed(ctx, e)
}

// backoff is the wait after failure number k+1 (k >= 0): Backoff·2^k,
// at most MaxBackoff.
func (n *Notifier) backoff(k int) time.Duration {
	d := n.opts.Backoff
	for i := 0; i < k && d < n.opts.MaxBackoff; i++ {
		d *= 2
	}
	return min(d, n.opts.MaxBackoff)
}
