package monitor

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"github.com/parc-archiver/parc/failure"
	"github.com/parc-archiver/parc/runrecord"
)

// text is m's metrics as WriteText writes them, parsed.
func text(t *testing.T, m *Monitor) map[string]*dto.MetricFamily {
	t.Helper()
	var buf bytes.Buffer
	if err := m.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	return parse(t, buf.String())
}

// labelsOf is a series' labels as a map.
func labelsOf(s *dto.Metric) map[string]string {
	l := map[string]string{}
	for _, p := range s.GetLabel() {
		l[p.GetName()] = p.GetValue()
	}
	return l
}

// series is the value of name's series with exactly the labels given as
// name, value pairs.
func series(t *testing.T, fams map[string]*dto.MetricFamily, name string, pairs ...string) float64 {
	t.Helper()
	want := map[string]string{}
	for i := 0; i+1 < len(pairs); i += 2 {
		want[pairs[i]] = pairs[i+1]
	}
	f := fams[name]
	if f == nil {
		t.Fatalf("metric %s missing", name)
	}
	for _, s := range f.GetMetric() {
		if fmt.Sprint(labelsOf(s)) != fmt.Sprint(want) {
			continue
		}
		if s.Counter != nil {
			return s.Counter.GetValue()
		}
		return s.Gauge.GetValue()
	}
	t.Fatalf("metric %s%v missing", name, want)
	return 0
}

// portalValues is the set of portal label values in fams.
func portalValues(fams map[string]*dto.MetricFamily) []string {
	seen := map[string]bool{}
	for _, f := range fams {
		for _, s := range f.GetMetric() {
			if p, ok := labelsOf(s)["portal"]; ok {
				seen[p] = true
			}
		}
	}
	var out []string
	for p := range seen {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

var labelled = []string{"parc_pages_fetched_total", "parc_articles_total", "parc_errors_total", "parc_runs_total",
	"parc_last_success_timestamp_seconds", "parc_last_run_timestamp_seconds", "parc_run_duration_seconds",
	"parc_fallback_ratio", "parc_profile_drift"}

// Each portal's runs count in its own series; the unlabelled metrics stay
// unlabelled.
func TestPerPortalSeries(t *testing.T) {
	clk := &clock{t: time.Date(2026, 12, 2, 6, 0, 0, 0, time.UTC)}
	m := New(Options{Now: clk.Now, Portals: []string{"vinachem", "dpm"}})
	m.ObserveRun(Run{Portal: "vinachem", Pages: 40, New: 10, Updated: 2, Duration: 90 * time.Second,
		Failures: map[failure.Kind]int{failure.Timeout: 2}, Extraction: runrecord.Counts{Articles: 8, Fallback: 2}})
	clk.Add(time.Minute)
	m.ObserveRun(Run{Portal: "dpm", Pages: 7, New: 3, Failed: true, Duration: 5 * time.Second,
		Failures: map[failure.Kind]int{failure.HTTP5xx: 4}})
	m.SetOutboxPending(2)
	fams := text(t, m)
	t0 := float64(clk.Now().Add(-time.Minute).Unix())
	tests := []struct {
		metric string
		labels []string
		want   float64
	}{
		{"parc_pages_fetched_total", []string{"portal", "vinachem"}, 40},
		{"parc_pages_fetched_total", []string{"portal", "dpm"}, 7},
		{"parc_articles_total", []string{"portal", "vinachem", "outcome", "new"}, 10},
		{"parc_articles_total", []string{"portal", "vinachem", "outcome", "updated"}, 2},
		{"parc_articles_total", []string{"portal", "dpm", "outcome", "new"}, 3},
		{"parc_articles_total", []string{"portal", "dpm", "outcome", "updated"}, 0},
		{"parc_errors_total", []string{"portal", "vinachem", "kind", "timeout"}, 2},
		{"parc_errors_total", []string{"portal", "vinachem", "kind", "http-5xx"}, 0},
		{"parc_errors_total", []string{"portal", "dpm", "kind", "http-5xx"}, 4},
		{"parc_runs_total", []string{"portal", "vinachem", "result", "success"}, 1},
		{"parc_runs_total", []string{"portal", "vinachem", "result", "failure"}, 0},
		{"parc_runs_total", []string{"portal", "dpm", "result", "failure"}, 1},
		{"parc_last_success_timestamp_seconds", []string{"portal", "vinachem"}, t0},
		{"parc_last_success_timestamp_seconds", []string{"portal", "dpm"}, 0},
		{"parc_last_run_timestamp_seconds", []string{"portal", "vinachem"}, t0},
		{"parc_last_run_timestamp_seconds", []string{"portal", "dpm"}, float64(clk.Now().Unix())},
		{"parc_run_duration_seconds", []string{"portal", "vinachem"}, 90},
		{"parc_run_duration_seconds", []string{"portal", "dpm"}, 5},
		{"parc_fallback_ratio", []string{"portal", "vinachem"}, 0.25},
		{"parc_fallback_ratio", []string{"portal", "dpm"}, 0},
		{"parc_webhook_pending", nil, 2},
	}
	for _, tt := range tests {
		if got := series(t, fams, tt.metric, tt.labels...); got != tt.want {
			t.Errorf("%s%v = %v, want %v", tt.metric, tt.labels, got, tt.want)
		}
	}
	if got := labelsOf(fams["parc_build_info"].GetMetric()[0]); got["portal"] != "" {
		t.Errorf("parc_build_info has a portal label: %v", got)
	}
	if n := len(fams["parc_webhook_pending"].GetMetric()); n != 1 {
		t.Errorf("parc_webhook_pending has %d series, want 1", n)
	}
}

// Every labelled series of every configured portal is there at 0 before
// any run, and no other portal value.
func TestPortalSeriesStartAtZero(t *testing.T) {
	m := New(Options{Portals: []string{"a", "b", "a", ""}})
	fams := text(t, m)
	if got := portalValues(fams); fmt.Sprint(got) != "[a b]" {
		t.Errorf("portal values %v, want [a b] (duplicates and empty names dropped)", got)
	}
	perPortal := map[string]int{"parc_errors_total": len(failure.Kinds()), "parc_articles_total": len(outcomes), "parc_runs_total": 2}
	for _, name := range labelled {
		f := fams[name]
		if f == nil {
			t.Errorf("%s missing", name)
			continue
		}
		want := 2 * max(1, perPortal[name])
		if len(f.GetMetric()) != want {
			t.Errorf("%s has %d series, want %d", name, len(f.GetMetric()), want)
		}
		for _, s := range f.GetMetric() {
			if v := s.GetCounter().GetValue() + s.GetGauge().GetValue(); v != 0 {
				t.Errorf("%s%v = %v before any run", name, labelsOf(s), v)
			}
		}
	}
	if got := m.Portals(); fmt.Sprint(got) != "[a b]" {
		t.Errorf("Portals() = %v", got)
	}
}

// Without Options.Portals a Monitor has one portal: Options.Portal, else
// DefaultPortal; a Run naming no portal is the default portal's.
func TestSinglePortalLabel(t *testing.T) {
	tests := []struct {
		opts Options
		want string
	}{
		{Options{}, DefaultPortal},
		{Options{Portal: "vinachem"}, "vinachem"},
		{Options{Portal: "ignored", Portals: []string{"first", "second"}}, "first"},
	}
	for _, tt := range tests {
		m := New(tt.opts)
		m.ObserveRun(Run{Pages: 3})
		m.SetDrift(true)
		fams := text(t, m)
		if got := series(t, fams, "parc_pages_fetched_total", "portal", tt.want); got != 3 {
			t.Errorf("%+v: pages of %s = %v, want 3", tt.opts, tt.want, got)
		}
		if got := series(t, fams, "parc_profile_drift", "portal", tt.want); got != 1 {
			t.Errorf("%+v: drift of %s = %v, want 1", tt.opts, tt.want, got)
		}
		if m.LastSuccess().IsZero() || !m.LastSuccess().Equal(m.LastSuccessFor(tt.want)) {
			t.Errorf("%+v: LastSuccess %v, LastSuccessFor(%s) %v", tt.opts, m.LastSuccess(), tt.want, m.LastSuccessFor(tt.want))
		}
	}
}

// A portal not in the config creates no label value of its own: it is
// counted under portal="other", with one warning per unknown name, and
// does not affect Health.
func TestUnknownPortalIsOther(t *testing.T) {
	var logs bytes.Buffer
	clk := &clock{t: time.Date(2026, 12, 2, 6, 0, 0, 0, time.UTC)}
	m := New(Options{Now: clk.Now, Portals: []string{"a", "b"}, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if got := portalValues(text(t, m)); fmt.Sprint(got) != "[a b]" {
		t.Fatalf("portal values before %v", got)
	}
	for i := range 50 {
		m.ObserveRun(Run{Portal: fmt.Sprintf("stray%d", i%2), Pages: 1, New: 1})
	}
	m.SetDriftFor("stray0", true)
	m.SetLastSuccessFor("stray1", clk.Now())
	fams := text(t, m)
	if got := portalValues(fams); fmt.Sprint(got) != "[a b other]" {
		t.Errorf("portal values %v, want [a b other]", got)
	}
	if got := series(t, fams, "parc_pages_fetched_total", "portal", OtherPortal); got != 50 {
		t.Errorf("pages of other %v, want 50", got)
	}
	if got := series(t, fams, "parc_profile_drift", "portal", OtherPortal); got != 1 {
		t.Errorf("drift of other %v, want 1", got)
	}
	if got := series(t, fams, "parc_pages_fetched_total", "portal", "a"); got != 0 {
		t.Errorf("pages of a %v, want 0", got)
	}
	if n := strings.Count(logs.String(), "not in the config"); n != 2 {
		t.Errorf("%d warnings for 2 unknown portals, want 2:\n%s", n, logs.String())
	}
	if code, body := health(t, m, ""); code != http.StatusServiceUnavailable {
		t.Errorf("healthz %d after runs of unknown portals only, want 503:\n%s", code, body)
	}
	if !m.LastSuccessFor("stray1").IsZero() {
		t.Error("LastSuccessFor an unknown portal is not zero")
	}
}

// health is Health's status and body for the query q ("portal=a").
func health(t *testing.T, m *Monitor, q string) (int, string) {
	t.Helper()
	target := "/healthz"
	if q != "" {
		target += "?" + q
	}
	rec := httptest.NewRecorder()
	m.Health().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
	return rec.Code, rec.Body.String()
}

// Two portals, one fresh and one stale: /healthz is 503 naming the stale
// one only; ?portal= asks about each; an unknown name is 404 with the
// known names; each portal has its own max age.
func TestHealthPerPortal(t *testing.T) {
	clk := &clock{t: time.Date(2026, 12, 2, 6, 0, 0, 0, time.UTC)}
	m := New(Options{Now: clk.Now, HealthMaxAge: 10 * time.Minute, Portals: []string{"fresh", "stale", "daily"},
		MaxAges: []PortalMaxAge{{Portal: "daily", MaxAge: 24 * time.Hour}, {Portal: "absent", MaxAge: time.Minute}}})
	m.ObserveRun(Run{Portal: "stale"})
	m.ObserveRun(Run{Portal: "daily"})
	clk.Add(time.Hour)
	m.ObserveRun(Run{Portal: "fresh"})
	m.ObserveRun(Run{Portal: "stale", Failed: true})
	clk.Add(5 * time.Minute)

	code, body := health(t, m, "")
	if code != http.StatusServiceUnavailable {
		t.Errorf("healthz %d, want 503", code)
	}
	want := "stale: last successful crawl 1h5m0s ago (at 2026-12-02T06:00:00Z), more than 10m0s\n"
	if body != want {
		t.Errorf("healthz body\n%q, want\n%q", body, want)
	}
	steps := []struct {
		query string
		code  int
		body  string
	}{
		{"portal=fresh", http.StatusOK, "fresh: ok, last successful crawl at 2026-12-02T07:00:00Z\n"},
		{"portal=stale", http.StatusServiceUnavailable, want},
		{"portal=daily", http.StatusOK, "daily: ok, last successful crawl at 2026-12-02T06:00:00Z\n"},
		{"portal=nope", http.StatusNotFound, "unknown portal \"nope\"; known: fresh, stale, daily\n"},
		{"portal=", http.StatusNotFound, "unknown portal \"\"; known: fresh, stale, daily\n"},
	}
	for _, s := range steps {
		if code, body := health(t, m, s.query); code != s.code || body != s.body {
			t.Errorf("?%s: %d %q, want %d %q", s.query, code, body, s.code, s.body)
		}
	}

	m.SetLastSuccessFor("stale", clk.Now())
	code, body = health(t, m, "")
	wantOK := "fresh: ok, last successful crawl at 2026-12-02T07:00:00Z\n" +
		"stale: ok, last successful crawl at 2026-12-02T07:05:00Z\n" +
		"daily: ok, last successful crawl at 2026-12-02T06:00:00Z\n"
	if code != http.StatusOK || body != wantOK {
		t.Errorf("healthz once all are fresh: %d\n%q, want 200\n%q", code, body, wantOK)
	}
}

// A portal whose run could not store pages is unhealthy until one of its
// runs stores cleanly; the other portals are not.
func TestHealthNotStoredPerPortal(t *testing.T) {
	clk := &clock{t: time.Date(2026, 12, 2, 6, 0, 0, 0, time.UTC)}
	m := New(Options{Now: clk.Now, Portals: []string{"a", "b"}})
	m.ObserveRun(Run{Portal: "a"})
	m.ObserveRun(Run{Portal: "b"})
	m.ObserveRun(Run{Portal: "b", Failed: true, Failures: map[failure.Kind]int{failure.Store: 3}})
	code, body := health(t, m, "")
	if code != http.StatusServiceUnavailable || !strings.HasPrefix(body, "b: the last crawl could not store 3 pages") || strings.Contains(body, "a:") {
		t.Errorf("healthz after b could not store: %d %q", code, body)
	}
	if code, _ := health(t, m, "portal=a"); code != http.StatusOK {
		t.Errorf("?portal=a %d, want 200", code)
	}
	m.ObserveRun(Run{Portal: "a", Failed: true}) // a's failure is not b's repair
	if code, _ := health(t, m, "portal=b"); code != http.StatusServiceUnavailable {
		t.Errorf("?portal=b %d after a's run, want 503", code)
	}
	m.ObserveRun(Run{Portal: "b", New: 1})
	if code, body := health(t, m, ""); code != http.StatusOK {
		t.Errorf("healthz after b stored cleanly: %d %q", code, body)
	}
}

// The drift alarm is each portal's own.
func TestDriftGaugePerPortal(t *testing.T) {
	m := New(Options{Portals: []string{"a", "b"}})
	m.SetDriftFor("b", true)
	fams := text(t, m)
	if a, b := series(t, fams, "parc_profile_drift", "portal", "a"), series(t, fams, "parc_profile_drift", "portal", "b"); a != 0 || b != 1 {
		t.Errorf("drift a=%v b=%v, want 0 1", a, b)
	}
	m.SetDrift(true) // the default portal, a
	m.SetDriftFor("b", false)
	fams = text(t, m)
	if a, b := series(t, fams, "parc_profile_drift", "portal", "a"), series(t, fams, "parc_profile_drift", "portal", "b"); a != 1 || b != 0 {
		t.Errorf("drift a=%v b=%v, want 1 0", a, b)
	}
}

// Portals' runs finish concurrently in one process: none is lost.
func TestConcurrentPortals(t *testing.T) {
	names := []string{"a", "b", "c", "d"}
	m := New(Options{Portals: names})
	var wg sync.WaitGroup
	for _, p := range names {
		for range 25 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				m.ObserveRun(Run{Portal: p, Pages: 2, New: 1})
				m.SetDriftFor(p, true)
				_, _ = health(t, m, "portal="+p)
			}()
		}
	}
	wg.Wait()
	fams := text(t, m)
	for _, p := range names {
		if got := series(t, fams, "parc_pages_fetched_total", "portal", p); got != 50 {
			t.Errorf("pages of %s = %v, want 50", p, got)
		}
		if got := series(t, fams, "parc_runs_total", "portal", p, "result", "success"); got != 25 {
			t.Errorf("runs of %s = %v, want 25", p, got)
		}
	}
}
