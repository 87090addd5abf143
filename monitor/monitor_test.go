package monitor

import (
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/parc-archiver/parc/failure"
	"github.com/parc-archiver/parc/internal/buildinfo"
	"github.com/parc-archiver/parc/internal/testtool"
	"github.com/parc-archiver/parc/runrecord"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func parse(t *testing.T, text string) map[string]*dto.MetricFamily {
	t.Helper()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(strings.NewReader(text))
	if err != nil {
		t.Fatalf("parse metrics: %v\n%s", err, text)
	}
	return fams
}

func value(t *testing.T, fams map[string]*dto.MetricFamily, name, labelName, labelValue string) float64 {
	t.Helper()
	f := fams[name]
	if f == nil {
		t.Fatalf("metric %s missing", name)
	}
	for _, m := range f.GetMetric() {
		ok := labelName == ""
		for _, l := range m.GetLabel() {
			if l.GetName() == labelName && l.GetValue() == labelValue {
				ok = true
			}
		}
		if !ok {
			continue
		}
		if m.Counter != nil {
			return m.Counter.GetValue()
		}
		return m.Gauge.GetValue()
	}
	t.Fatalf("metric %s{%s=%q} missing", name, labelName, labelValue)
	return 0
}

func scrape(t *testing.T, m *Monitor) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("/metrics: %d", rec.Code)
	}
	return rec.Body.String()
}

func TestObserveRun(t *testing.T) {
	clk := &clock{t: time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC)}
	m := New(Options{Now: clk.Now})
	m.ObserveRun(Run{
		Duration: 90 * time.Second, Pages: 40, New: 10, Updated: 2, Unchanged: 5, Duplicates: 1, Gone: 3,
		Failures:   map[failure.Kind]int{failure.Timeout: 2, failure.HTTP5xx: 1},
		Extraction: runrecord.Counts{Articles: 18, Fallback: 9},
	})
	clk.Add(time.Minute)
	m.ObserveRun(Run{Pages: 5, New: 1, Failures: map[failure.Kind]int{failure.Timeout: 1}, Failed: true, Duration: time.Second})
	fams := parse(t, scrape(t, m))
	tests := []struct {
		name, metric, label, value string
		want                       float64
	}{
		{"pages add up", "parc_pages_fetched_total", "", "", 45},
		{"new", "parc_articles_total", "outcome", "new", 11},
		{"updated", "parc_articles_total", "outcome", "updated", 2},
		{"unchanged", "parc_articles_total", "outcome", "unchanged", 5},
		{"duplicate", "parc_articles_total", "outcome", "duplicate", 1},
		{"gone", "parc_articles_total", "outcome", "gone", 3},
		{"errors by kind", "parc_errors_total", "kind", "timeout", 3},
		{"other kind", "parc_errors_total", "kind", "http-5xx", 1},
		{"successes", "parc_runs_total", "result", "success", 1},
		{"failures", "parc_runs_total", "result", "failure", 1},
		{"last success is the first run", "parc_last_success_timestamp_seconds", "", "", float64(clk.Now().Add(-time.Minute).Unix())},
		{"last run is the failed one", "parc_last_run_timestamp_seconds", "", "", float64(clk.Now().Unix())},
		{"duration of the last run", "parc_run_duration_seconds", "", "", 1},
		{"fallback ratio of the last run", "parc_fallback_ratio", "", "", 0},
		{"drift off", "parc_profile_drift", "", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := value(t, fams, tt.metric, tt.label, tt.value); got != tt.want {
				t.Errorf("%s = %v, want %v", tt.metric, got, tt.want)
			}
		})
	}
}

func TestFallbackRatioAndDriftGauge(t *testing.T) {
	m := New(Options{})
	m.ObserveRun(Run{Extraction: runrecord.Counts{Articles: 8, Fallback: 2}})
	m.SetDrift(true)
	m.SetOutboxPending(4)
	fams := parse(t, scrape(t, m))
	if got := value(t, fams, "parc_fallback_ratio", "", ""); got != 0.25 {
		t.Errorf("fallback ratio %v, want 0.25", got)
	}
	if got := value(t, fams, "parc_profile_drift", "", ""); got != 1 {
		t.Errorf("drift %v, want 1", got)
	}
	if got := value(t, fams, "parc_webhook_pending", "", ""); got != 4 {
		t.Errorf("pending %v, want 4", got)
	}
}

func TestHealth(t *testing.T) {
	clk := &clock{t: time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC)}
	m := New(Options{Now: clk.Now, HealthMaxAge: 10 * time.Minute})
	status := func() int {
		rec := httptest.NewRecorder()
		m.Health().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
		return rec.Code
	}
	steps := []struct {
		name string
		do   func()
		want int
	}{
		{"no run yet", func() {}, http.StatusServiceUnavailable},
		{"failed run", func() { m.ObserveRun(Run{Failed: true}) }, http.StatusServiceUnavailable},
		{"successful run", func() { m.ObserveRun(Run{}) }, http.StatusOK},
		{"at the limit", func() { clk.Add(10 * time.Minute) }, http.StatusOK},
		{"past the limit", func() { clk.Add(time.Second) }, http.StatusServiceUnavailable},
		{"older success does not count", func() { m.SetLastSuccess(clk.Now().Add(-time.Hour)) }, http.StatusServiceUnavailable},
		{"success read at start", func() { m.SetLastSuccess(clk.Now().Add(-time.Minute)) }, http.StatusOK},
		{"pages not stored", func() { m.ObserveRun(Run{Failed: true, Failures: map[failure.Kind]int{failure.Store: 3}}) }, http.StatusServiceUnavailable},
		{"a run that stored nothing either", func() { m.ObserveRun(Run{Failed: true}) }, http.StatusServiceUnavailable},
		{"stored cleanly", func() { m.ObserveRun(Run{New: 1}) }, http.StatusOK},
	}
	for _, s := range steps {
		s.do()
		if got := status(); got != s.want {
			t.Errorf("%s: /healthz %d, want %d", s.name, got, s.want)
		}
	}
}

func TestWriteFile(t *testing.T) {
	m := New(Options{})
	m.ObserveRun(Run{Pages: 7, New: 2})
	dir := t.TempDir()
	path := filepath.Join(dir, "parc.prom")
	if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := m.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fams := parse(t, string(b))
	if got := value(t, fams, "parc_pages_fetched_total", "", ""); got != 7 {
		t.Errorf("pages %v in file", got)
	}
	fi, _ := os.Stat(path)
	if fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644 (node_exporter must read it)", fi.Mode().Perm())
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
	if err := m.WriteFile(""); err != ErrNoPath {
		t.Errorf("empty path: %v", err)
	}
	if err := m.WriteFile(filepath.Join(dir, "missing", "x.prom")); err == nil {
		t.Error("no error for a missing directory")
	}
	if promtool, ok := testtool.Find(t, "promtool", "prometheus"); ok {
		cmd := exec.Command(promtool, "check", "metrics")
		cmd.Stdin = strings.NewReader(string(b))
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("promtool check metrics: %v\n%s", err, out)
		}
	}
}

func TestDrift(t *testing.T) {
	tests := []struct {
		name    string
		rule    Drift
		counts  runrecord.Counts
		judged  bool
		drifted bool
		reason  string
	}{
		{"too few articles", Drift{}, runrecord.Counts{Articles: 4, Fallback: 4}, false, false, ""},
		{"healthy", Drift{}, runrecord.Counts{Articles: 100, Fallback: 3, MissingDate: 1, MissingByline: 10}, true, false, ""},
		{"fallback above half", Drift{}, runrecord.Counts{Articles: 10, Fallback: 6}, true, true, "fallback 60% > 50%"},
		{"exactly the threshold is not drift", Drift{}, runrecord.Counts{Articles: 10, Fallback: 5}, true, false, ""},
		{"dates gone", Drift{Threshold: 0.2}, runrecord.Counts{Articles: 10, MissingDate: 3}, true, true, "missing date 30% > 20%"},
		{"no body selector: fallback is no drift", Drift{IgnoreFallback: true}, runrecord.Counts{Articles: 10, Fallback: 10}, true, false, ""},
		{"no body selector: dates still judged", Drift{IgnoreFallback: true}, runrecord.Counts{Articles: 10, Fallback: 10, MissingDate: 6}, true, true, "missing date 60% > 50%"},
		{"bylines gone", Drift{}, runrecord.Counts{Articles: 6, MissingByline: 6}, true, true, "missing byline 100% > 50%"},
		{"bylines ignored", Drift{IgnoreByline: true}, runrecord.Counts{Articles: 6, MissingByline: 6}, true, false, ""},
		{"min articles", Drift{MinArticles: 20}, runrecord.Counts{Articles: 19, Fallback: 19}, false, false, ""},
		{"several reasons", Drift{}, runrecord.Counts{Articles: 5, Fallback: 5, MissingDate: 5}, true, true, "fallback 100% > 50%, missing date 100% > 50%"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := tt.rule.Check(tt.counts)
			if v.Judged != tt.judged || v.Drifted != tt.drifted || v.Reason != tt.reason {
				t.Errorf("Check(%+v) = judged %v drifted %v reason %q, want %v %v %q",
					tt.counts, v.Judged, v.Drifted, v.Reason, tt.judged, tt.drifted, tt.reason)
			}
		})
	}
}

// A run that matched no article has drifted, however few articles it
// extracted (none).
func TestDriftUnmatched(t *testing.T) {
	v := Drift{MinArticles: 20}.Unmatched(runrecord.Counts{}, 367)
	if !v.Judged || !v.Drifted || v.Reason != "no article matched in 367 pages fetched" || v.Threshold != 0.5 {
		t.Errorf("Unmatched = %+v", v)
	}
}

func TestMonitorsAreIndependent(t *testing.T) {
	a, b := New(Options{}), New(Options{})
	a.ObserveRun(Run{Pages: 3})
	if got := value(t, parse(t, scrape(t, b)), "parc_pages_fetched_total", "", ""); got != 0 {
		t.Errorf("second monitor sees the first's pages: %v", got)
	}
}

// parc_build_info is there with the build's labels, and parc_errors_total
// has a series at 0 for every failure kind before any run.
func TestMetricsPresentFromTheStart(t *testing.T) {
	m := New(Options{Build: buildinfo.Info{Version: "9.9.9", Commit: "0123456789abcdef", GoVersion: "go1.26.8"}})
	families, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]*dto.MetricFamily{}
	for _, f := range families {
		byName[f.GetName()] = f
	}
	build := byName["parc_build_info"]
	if build == nil || len(build.GetMetric()) != 1 || build.GetMetric()[0].GetGauge().GetValue() != 1 {
		t.Fatalf("parc_build_info = %v", build)
	}
	labels := map[string]string{}
	for _, l := range build.GetMetric()[0].GetLabel() {
		labels[l.GetName()] = l.GetValue()
	}
	if labels["version"] != "9.9.9" || labels["commit"] != "0123456789ab" || labels["goversion"] != "go1.26.8" {
		t.Errorf("parc_build_info labels = %v", labels)
	}
	errs := byName["parc_errors_total"]
	if errs == nil || len(errs.GetMetric()) != len(failure.Kinds()) {
		t.Fatalf("parc_errors_total has %v series, want one per kind (%d)", errs, len(failure.Kinds()))
	}
	for _, s := range errs.GetMetric() {
		if s.GetCounter().GetValue() != 0 {
			t.Errorf("parc_errors_total %v = %v before any run", s.GetLabel(), s.GetCounter().GetValue())
		}
	}
}
