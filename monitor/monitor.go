package monitor

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/prometheus/common/expfmt"

	"github.com/parc-archiver/parc/failure"
	"github.com/parc-archiver/parc/internal/atomicfile"
	"github.com/parc-archiver/parc/internal/buildinfo"
	"github.com/parc-archiver/parc/runrecord"
)

// Options configures a Monitor. The zero value works: real clock, health
// never fresh (HealthMaxAge 0 means one hour).
type Options struct {
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// HealthMaxAge is how old the last successful run may be for Health to
	// answer 200; 0 means one hour.
	HealthMaxAge time.Duration
	// Logger receives diagnostics; nil discards them.
	Logger *slog.Logger
	// Build is the running build, exported as parc_build_info.
	Build buildinfo.Info
}

// Run is one finished crawl run as the Monitor sees it.
type Run struct {
	Finished time.Time
	Duration time.Duration
	// Pages is the number of responses received.
	Pages int
	// Articles by outcome.
	New, Updated, Unchanged, Duplicates, Gone int
	// Failures counts failed pages by kind (failure.Network, failure.Timeout, …).
	Failures map[failure.Kind]int
	// Extraction is the run's extraction quality, for the fallback ratio.
	Extraction runrecord.Counts
	// Failed says the run as a whole failed (exit status 1).
	Failed bool
}

// Outcome labels of parc_articles_total.
const (
	OutcomeNew       = "new"
	OutcomeUpdated   = "updated"
	OutcomeUnchanged = "unchanged"
	OutcomeDuplicate = "duplicate"
	OutcomeGone      = "gone"
)

// Monitor holds parc's metrics on its own registry. It is safe for
// concurrent use.
type Monitor struct {
	opts Options
	log  *slog.Logger
	reg  *prometheus.Registry

	pages       prometheus.Counter
	articles    *prometheus.CounterVec
	errors      *prometheus.CounterVec
	runs        *prometheus.CounterVec
	lastSuccess prometheus.Gauge
	lastRun     prometheus.Gauge
	duration    prometheus.Gauge
	fallback    prometheus.Gauge
	drift       prometheus.Gauge
	outbox      prometheus.Gauge

	mu      sync.Mutex
	success time.Time // last successful run; zero when unknown
	// notStored is how many pages the last run that stored or failed to
	// store could not store: while it is not 0, /healthz answers 503.
	notStored int
}

// New returns a Monitor with every metric registered.
func New(opts Options) *Monitor {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.HealthMaxAge <= 0 {
		opts.HealthMaxAge = time.Hour
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	m := &Monitor{opts: opts, log: log.With("component", "monitor"), reg: prometheus.NewRegistry()}
	m.pages = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "parc_pages_fetched_total", Help: "HTTP responses received from the portal (every attempt)."})
	m.articles = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "parc_articles_total", Help: "Article pages stored, by outcome: new, updated (a new revision), unchanged, duplicate (an alias of a record), gone (now 404/410)."},
		[]string{"outcome"})
	m.errors = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "parc_errors_total", Help: "Pages that failed after their retries, by kind (network, timeout, http-5xx, http-4xx, parse, store, ...)."},
		[]string{"kind"})
	m.runs = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "parc_runs_total", Help: "Crawl runs finished, by result (success, failure)."}, []string{"result"})
	m.lastSuccess = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "parc_last_success_timestamp_seconds", Help: "Unix time the last successful crawl run finished (0: none known)."})
	m.lastRun = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "parc_last_run_timestamp_seconds", Help: "Unix time the last crawl run finished, successful or not."})
	m.duration = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "parc_run_duration_seconds", Help: "Duration of the last crawl run."})
	m.fallback = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "parc_fallback_ratio", Help: "Share of the last run's extracted articles whose body came from generic (fallback) extraction."})
	m.drift = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "parc_profile_drift", Help: "1 when the last judged run showed extraction drift (the portal's layout probably changed), else 0."})
	m.outbox = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "parc_webhook_pending", Help: "Webhook deliveries waiting in the archive's outbox after the last run."})
	build := prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "parc_build_info", Help: "Always 1: the running parc's version, commit and Go version as labels."},
		[]string{"version", "commit", "goversion"})
	build.WithLabelValues(labelOr(opts.Build.Version), opts.Build.ShortCommit(), labelOr(opts.Build.GoVersion)).Set(1)
	m.reg.MustRegister(m.pages, m.articles, m.errors, m.runs, m.lastSuccess, m.lastRun, m.duration, m.fallback, m.drift, m.outbox, build)
	// Every series present from the start, at 0: a rate() or an alert on
	// parc_errors_total works before the first failure.
	for _, k := range failure.Kinds() {
		m.errors.WithLabelValues(string(k))
	}
	for _, o := range []string{OutcomeNew, OutcomeUpdated, OutcomeUnchanged, OutcomeDuplicate, OutcomeGone} {
		m.articles.WithLabelValues(o)
	}
	m.runs.WithLabelValues("success")
	m.runs.WithLabelValues("failure")
	return m
}

func labelOr(v string) string {
	if v == "" {
		return "unknown"
	}
	return v
}

// Registry is the Monitor's registry (for tests and extra collectors).
func (m *Monitor) Registry() *prometheus.Registry { return m.reg }

// ObserveRun adds a finished run to the metrics. A successful run moves
// the last-success time (and so Health) to r.Finished (now when zero).
func (m *Monitor) ObserveRun(r Run) {
	if r.Finished.IsZero() {
		r.Finished = m.opts.Now()
	}
	m.pages.Add(float64(r.Pages))
	m.articles.WithLabelValues(OutcomeNew).Add(float64(r.New))
	m.articles.WithLabelValues(OutcomeUpdated).Add(float64(r.Updated))
	m.articles.WithLabelValues(OutcomeUnchanged).Add(float64(r.Unchanged))
	m.articles.WithLabelValues(OutcomeDuplicate).Add(float64(r.Duplicates))
	m.articles.WithLabelValues(OutcomeGone).Add(float64(r.Gone))
	for kind, n := range r.Failures {
		m.errors.WithLabelValues(string(kind)).Add(float64(n))
	}
	m.mu.Lock()
	if n := r.Failures[failure.Store]; n > 0 {
		m.notStored = n
	} else if !r.Failed {
		m.notStored = 0 // a run stored cleanly
	}
	m.mu.Unlock()
	m.lastRun.Set(float64(r.Finished.Unix()))
	m.duration.Set(r.Duration.Seconds())
	m.fallback.Set(r.Extraction.FallbackRatio())
	if r.Failed {
		m.runs.WithLabelValues("failure").Inc()
		return
	}
	m.runs.WithLabelValues("success").Inc()
	m.SetLastSuccess(r.Finished)
}

// SetLastSuccess sets the time of the last successful run (e.g. read from
// the archive when `parc watch` starts), unless a later one is known.
func (m *Monitor) SetLastSuccess(t time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if t.After(m.success) {
		m.success = t
		m.lastSuccess.Set(float64(t.Unix()))
	}
}

// LastSuccess returns the time of the last successful run, zero if none.
func (m *Monitor) LastSuccess() time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.success
}

// SetDrift sets the drift alarm gauge.
func (m *Monitor) SetDrift(on bool) {
	v := 0.0
	if on {
		v = 1
	}
	m.drift.Set(v)
}

// SetOutboxPending sets the number of webhook deliveries still queued.
func (m *Monitor) SetOutboxPending(n int) { m.outbox.Set(float64(n)) }

// Handler serves the metrics in the Prometheus text format.
func (m *Monitor) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError})
}

// Health answers GET with 200 "ok" while the last successful run finished
// at most Options.HealthMaxAge ago and no later run failed to store a
// page, else 503 with the reason.
func (m *Monitor) Health() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		last := m.LastSuccess()
		now := m.opts.Now()
		m.mu.Lock()
		notStored := m.notStored
		m.mu.Unlock()
		switch {
		case notStored > 0:
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintf(w, "the last crawl could not store %d pages (is the disk full?); they are fetched again once a crawl can store them\n", notStored)
		case last.IsZero():
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintln(w, "no successful crawl yet")
		case now.Sub(last) > m.opts.HealthMaxAge:
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintf(w, "last successful crawl %s ago (at %s), more than %s\n",
				now.Sub(last).Round(time.Second), last.UTC().Format(time.RFC3339), m.opts.HealthMaxAge)
		default:
			fmt.Fprintf(w, "ok: last successful crawl at %s\n", last.UTC().Format(time.RFC3339))
		}
	})
}

// WriteText writes the metrics in the Prometheus text format to w.
func (m *Monitor) WriteText(w io.Writer) error {
	mfs, err := m.reg.Gather()
	if err != nil {
		return fmt.Errorf("gather metrics: %w", err)
	}
	enc := expfmt.NewEncoder(w, expfmt.NewFormat(expfmt.TypeTextPlain))
	for _, mf := range mfs {
		if err := enc.Encode(mf); err != nil {
			return fmt.Errorf("encode metric %s: %w", mf.GetName(), err)
		}
	}
	return nil
}

// WriteFile writes the metrics in the Prometheus text format to path
// atomically (a temporary file in the same directory, synced, then
// renamed), for node_exporter's textfile collector. The file is 0644.
func (m *Monitor) WriteFile(path string) error {
	if path == "" {
		return ErrNoPath
	}
	var buf bytes.Buffer
	if err := m.WriteText(&buf); err != nil {
		return err
	}
	if _, err := atomicfile.Write(path, 0o644, func(f *os.File) error {
		_, err := f.Write(buf.Bytes())
		return err
	}); err != nil {
		return fmt.Errorf("metrics file: %w", err)
	}
	return nil
}
