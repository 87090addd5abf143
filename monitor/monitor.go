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

// Options configures a Monitor. The zero value works: real clock, one
// portal labelled DefaultPortal, health never fresh (HealthMaxAge 0 means
// one hour).
type Options struct {
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// HealthMaxAge is how old a portal's last successful run may be for
	// Health to answer 200; 0 means one hour.
	HealthMaxAge time.Duration
	// MaxAges overrides HealthMaxAge for some portals (entries for a
	// portal not in Portals are ignored with a warning).
	MaxAges []PortalMaxAge
	// Portals are the names of the portals (from the config): the only
	// values of the portal label, each with its series at 0 from the
	// start. The first is the default portal, that of a Run or a call
	// that names none. Empty means the one portal Portal.
	Portals []string
	// Portal is the one portal's name when Portals is empty; "" means
	// DefaultPortal.
	Portal string
	// Logger receives diagnostics; nil discards them.
	Logger *slog.Logger
	// Build is the running build, exported as parc_build_info.
	Build buildinfo.Info
}

// Run is one finished crawl run as the Monitor sees it.
type Run struct {
	// Portal is the portal crawled; "" means the default portal, a name
	// not in Options.Portals counts under OtherPortal.
	Portal   string
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

// Results labels of parc_runs_total.
const (
	resultSuccess = "success"
	resultFailure = "failure"
)

var outcomes = []string{OutcomeNew, OutcomeUpdated, OutcomeUnchanged, OutcomeDuplicate, OutcomeGone}

// Monitor holds parc's metrics on its own registry. It is safe for
// concurrent use.
type Monitor struct {
	opts Options
	log  *slog.Logger
	reg  *prometheus.Registry
	// names are the portal label values, the default portal first; the
	// keys of portals.
	names []string

	pages       *prometheus.CounterVec
	articles    *prometheus.CounterVec
	errors      *prometheus.CounterVec
	runs        *prometheus.CounterVec
	lastSuccess *prometheus.GaugeVec
	lastRun     *prometheus.GaugeVec
	duration    *prometheus.GaugeVec
	fallback    *prometheus.GaugeVec
	drift       *prometheus.GaugeVec
	outbox      prometheus.Gauge

	mu      sync.Mutex
	portals map[string]*portalState // guarded by mu (the map itself is fixed)
	unknown map[string]bool         // portal names warned about
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
	m := &Monitor{opts: opts, log: log.With("component", "monitor"), reg: prometheus.NewRegistry(),
		names: portalNames(opts), unknown: map[string]bool{}}
	m.newPortalStates()
	m.newMetrics()
	build := prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "parc_build_info", Help: "Always 1: the running parc's version, commit and Go version as labels."},
		[]string{"version", "commit", "goversion"})
	build.WithLabelValues(labelOr(opts.Build.Version), opts.Build.ShortCommit(), labelOr(opts.Build.GoVersion)).Set(1)
	m.reg.MustRegister(m.pages, m.articles, m.errors, m.runs, m.lastSuccess, m.lastRun, m.duration, m.fallback, m.drift, m.outbox, build)
	m.zeroSeries()
	return m
}

// newMetrics creates the metrics labelled portal, and parc_webhook_pending.
func (m *Monitor) newMetrics() {
	counter := func(name, help string, labels ...string) *prometheus.CounterVec {
		return prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, append([]string{"portal"}, labels...))
	}
	gauge := func(name, help string) *prometheus.GaugeVec {
		return prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: name, Help: help}, []string{"portal"})
	}
	m.pages = counter("parc_pages_fetched_total", "HTTP responses received from the portal (every attempt).")
	m.articles = counter("parc_articles_total", "Article pages stored, by outcome: new, updated (a new revision), unchanged, duplicate (an alias of a record), gone (now 404/410).", "outcome")
	m.errors = counter("parc_errors_total", "Pages that failed after their retries, by kind (network, timeout, http-5xx, http-4xx, parse, store, ...).", "kind")
	m.runs = counter("parc_runs_total", "Crawl runs finished, by result (success, failure).", "result")
	m.lastSuccess = gauge("parc_last_success_timestamp_seconds", "Unix time the portal's last successful crawl run finished (0: none known).")
	m.lastRun = gauge("parc_last_run_timestamp_seconds", "Unix time the portal's last crawl run finished, successful or not.")
	m.duration = gauge("parc_run_duration_seconds", "Duration of the portal's last crawl run.")
	m.fallback = gauge("parc_fallback_ratio", "Share of the portal's last run's extracted articles whose body came from generic (fallback) extraction.")
	m.drift = gauge("parc_profile_drift", "1 when the portal's last judged run showed extraction drift (its layout probably changed), else 0.")
	m.outbox = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "parc_webhook_pending", Help: "Webhook deliveries waiting in the archive's outbox after the last run."})
}

// zeroSeries creates every series of every portal at 0: a rate() or an
// alert on parc_errors_total works before the first failure. The
// OtherPortal series appear only once something names an unknown portal.
func (m *Monitor) zeroSeries() {
	for _, p := range m.names {
		m.pages.WithLabelValues(p)
		for _, k := range failure.Kinds() {
			m.errors.WithLabelValues(p, string(k))
		}
		for _, o := range outcomes {
			m.articles.WithLabelValues(p, o)
		}
		m.runs.WithLabelValues(p, resultSuccess)
		m.runs.WithLabelValues(p, resultFailure)
		for _, g := range []*prometheus.GaugeVec{m.lastSuccess, m.lastRun, m.duration, m.fallback, m.drift} {
			g.WithLabelValues(p)
		}
	}
}

func labelOr(v string) string {
	if v == "" {
		return "unknown"
	}
	return v
}

// Registry is the Monitor's registry (for tests and extra collectors).
func (m *Monitor) Registry() *prometheus.Registry { return m.reg }

// ObserveRun adds a finished run to the metrics of its portal. A
// successful run moves the portal's last-success time (and so Health) to
// r.Finished (now when zero).
func (m *Monitor) ObserveRun(r Run) {
	if r.Finished.IsZero() {
		r.Finished = m.opts.Now()
	}
	p := m.label(r.Portal)
	m.pages.WithLabelValues(p).Add(float64(r.Pages))
	for o, n := range map[string]int{OutcomeNew: r.New, OutcomeUpdated: r.Updated, OutcomeUnchanged: r.Unchanged,
		OutcomeDuplicate: r.Duplicates, OutcomeGone: r.Gone} {
		m.articles.WithLabelValues(p, o).Add(float64(n))
	}
	for kind, n := range r.Failures {
		m.errors.WithLabelValues(p, string(kind)).Add(float64(n))
	}
	m.mu.Lock()
	if st := m.state(r.Portal); st != nil {
		if n := r.Failures[failure.Store]; n > 0 {
			st.notStored = n
		} else if !r.Failed {
			st.notStored = 0 // a run stored cleanly
		}
	}
	m.mu.Unlock()
	m.lastRun.WithLabelValues(p).Set(float64(r.Finished.Unix()))
	m.duration.WithLabelValues(p).Set(r.Duration.Seconds())
	m.fallback.WithLabelValues(p).Set(r.Extraction.FallbackRatio())
	if r.Failed {
		m.runs.WithLabelValues(p, resultFailure).Inc()
		return
	}
	m.runs.WithLabelValues(p, resultSuccess).Inc()
	m.SetLastSuccessFor(r.Portal, r.Finished)
}

// SetLastSuccess sets the default portal's last successful run time (see
// SetLastSuccessFor).
func (m *Monitor) SetLastSuccess(t time.Time) { m.SetLastSuccessFor("", t) }

// SetLastSuccessFor sets the time of portal's last successful run (e.g.
// read from the archive when `parc watch` starts), unless a later one is
// known. An unknown portal moves only the OtherPortal gauge, never Health.
func (m *Monitor) SetLastSuccessFor(portal string, t time.Time) {
	p := m.label(portal)
	m.mu.Lock()
	defer m.mu.Unlock()
	st := m.state(portal)
	if st == nil {
		m.lastSuccess.WithLabelValues(p).Set(float64(t.Unix()))
		return
	}
	if t.After(st.success) {
		st.success = t
		m.lastSuccess.WithLabelValues(p).Set(float64(t.Unix()))
	}
}

// LastSuccess returns the default portal's last successful run time, zero
// if none.
func (m *Monitor) LastSuccess() time.Time { return m.LastSuccessFor("") }

// LastSuccessFor returns the time of portal's last successful run, zero if
// none or the portal is unknown.
func (m *Monitor) LastSuccessFor(portal string) time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	if st := m.state(portal); st != nil {
		return st.success
	}
	return time.Time{}
}

// SetDrift sets the default portal's drift alarm gauge.
func (m *Monitor) SetDrift(on bool) { m.SetDriftFor("", on) }

// SetDriftFor sets portal's drift alarm gauge.
func (m *Monitor) SetDriftFor(portal string, on bool) {
	v := 0.0
	if on {
		v = 1
	}
	m.drift.WithLabelValues(m.label(portal)).Set(v)
}

// SetOutboxPending sets the number of webhook deliveries still queued.
func (m *Monitor) SetOutboxPending(n int) { m.outbox.Set(float64(n)) }

// Handler serves the metrics in the Prometheus text format.
func (m *Monitor) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError})
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
