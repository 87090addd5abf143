package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/parc-archiver/parc/internal/testtool"
	"github.com/parc-archiver/parc/record"
	"github.com/parc-archiver/parc/sim"
)

// received is one webhook request, decoded.
type received struct {
	ID      string          `json:"id"`
	Event   string          `json:"event"`
	Article *record.Record  `json:"article"`
	Drift   json.RawMessage `json:"drift"`
	Stats   json.RawMessage `json:"stats"`
	header  http.Header
}

// receiver is a webhook endpoint that checks X-Parc-Signature itself (not
// with package notify) and reports every valid event on ch.
type receiver struct {
	t      testing.TB
	secret string
	srv    *httptest.Server
	ch     chan received
}

func newReceiver(t testing.TB, secret string) *receiver {
	r := &receiver{t: t, secret: secret, ch: make(chan received, 1000)}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, err := io.ReadAll(req.Body)
		if err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		m := hmac.New(sha256.New, []byte(secret))
		m.Write(body)
		want := "sha256=" + hex.EncodeToString(m.Sum(nil))
		if got := req.Header.Get("X-Parc-Signature"); !hmac.Equal([]byte(got), []byte(want)) {
			t.Errorf("webhook: bad signature %q", got)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		var ev received
		if err := json.Unmarshal(body, &ev); err != nil {
			t.Errorf("webhook body: %v", err)
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		if req.Header.Get("X-Parc-Event-Id") != ev.ID || req.Header.Get("X-Parc-Event") != ev.Event {
			t.Errorf("webhook headers %v do not match event %s %s", req.Header, ev.ID, ev.Event)
		}
		ev.header = req.Header
		r.ch <- ev
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

// watchLog is a concurrency-safe stderr that reports the served address
// and counts crawl summary lines.
type watchLog struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	partial string
	addr    chan string
	runs    int
	runc    chan int
}

func (l *watchLog) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf.Write(b)
	l.partial += string(b)
	for {
		i := strings.IndexByte(l.partial, '\n')
		if i < 0 {
			break
		}
		line := l.partial[:i]
		l.partial = l.partial[i+1:]
		if rest, ok := strings.CutPrefix(line, "watch: serving "); ok {
			l.addr <- strings.TrimSuffix(strings.Fields(rest)[0], "/feed.atom,")
		}
		if strings.HasPrefix(line, "crawl: ") && strings.Contains(line, " pages fetched") {
			l.runs++
			select {
			case l.runc <- l.runs:
			default:
			}
		}
	}
	return len(b), nil
}

func (l *watchLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

const watchDeadline = 30 * time.Second

// waitEvents reads webhook events until done says it has what it needs.
func waitEvents(t *testing.T, r *receiver, log *watchLog, seen map[string]int, all *[]received, done func() bool) {
	t.Helper()
	deadline := time.After(watchDeadline)
	for !done() {
		select {
		case ev := <-r.ch:
			seen[ev.ID]++
			*all = append(*all, ev)
		case <-deadline:
			t.Fatalf("timed out waiting for webhook events; got %d\nstderr:\n%s", len(*all), log.String())
		}
	}
}

// waitRun waits for a crawl that ends after this call.
func waitRun(t *testing.T, log *watchLog) {
	t.Helper()
	log.mu.Lock()
	n := log.runs
	log.mu.Unlock()
	deadline := time.After(watchDeadline)
	for {
		select {
		case got := <-log.runc:
			if got > n {
				return
			}
		case <-deadline:
			t.Fatalf("timed out waiting for a crawl to end\nstderr:\n%s", log.String())
		}
	}
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

func metricValue(t *testing.T, fams map[string]*dto.MetricFamily, name string, label ...string) float64 {
	t.Helper()
	f, ok := fams[name]
	if !ok {
		t.Fatalf("metric %s missing", name)
	}
	for _, m := range f.GetMetric() {
		match := true
		for i := 0; i+1 < len(label); i += 2 {
			found := false
			for _, lp := range m.GetLabel() {
				if lp.GetName() == label[i] && lp.GetValue() == label[i+1] {
					found = true
				}
			}
			match = match && found
		}
		if !match {
			continue
		}
		switch {
		case m.Counter != nil:
			return m.Counter.GetValue()
		case m.Gauge != nil:
			return m.Gauge.GetValue()
		}
	}
	t.Fatalf("metric %s%v missing", name, label)
	return 0
}

func parseMetrics(t *testing.T, text string) map[string]*dto.MetricFamily {
	t.Helper()
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(text))
	if err != nil {
		t.Fatalf("metrics do not parse: %v\n%s", err, text)
	}
	return fams
}

// promtoolCheck runs `promtool check metrics` when promtool is installed.
func promtoolCheck(t *testing.T, text string) {
	t.Helper()
	path, ok := testtool.Find(t, "promtool", "prometheus")
	if !ok {
		return
	}
	cmd := exec.Command(path, "check", "metrics")
	cmd.Stdin = strings.NewReader(text)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("promtool check metrics: %v\n%s", err, out)
	}
}

// watching is a `parc watch` running in-process.
type watching struct {
	log    *watchLog
	stdout *syncBuffer
	base   string
	cancel context.CancelFunc
	done   chan error
}

// startWatch runs parc watch on p with a tiny interval on a free port.
func startWatch(t *testing.T, p *portal, extra ...string) *watching {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	w := &watching{log: &watchLog{addr: make(chan string, 1), runc: make(chan int, 1)}, stdout: &syncBuffer{}, cancel: cancel, done: make(chan error, 1)}
	args := append([]string{"watch", "--config", p.config, "--archive", p.db, "--every", "20ms", "--listen", "127.0.0.1:0"}, extra...)
	go func() { w.done <- runParc(ctx, args, strings.NewReader(""), w.stdout, w.log) }()
	t.Cleanup(func() {
		cancel()
		<-w.done
	})
	select {
	case w.base = <-w.log.addr:
	case err := <-w.done:
		w.done <- err
		t.Fatalf("watch ended early: %v\n%s", err, w.log.String())
	case <-time.After(watchDeadline):
		t.Fatalf("watch did not start\n%s", w.log.String())
	}
	return w
}

// stop cancels watch (SIGINT/SIGTERM in main) and checks it stops cleanly.
func (w *watching) stop(t *testing.T) {
	t.Helper()
	w.cancel()
	select {
	case err := <-w.done:
		w.done <- err // for the cleanup
		if err != nil {
			t.Errorf("watch after cancel: %v", err)
		}
	case <-time.After(watchDeadline):
		t.Fatal("watch did not stop on cancel")
	}
	if !strings.Contains(w.log.String(), "watch: stopped") {
		t.Error("no clean stop message")
	}
}

func TestWatch(t *testing.T) {
	const secret = "s3cret-ключ"
	hook := newReceiver(t, secret)
	p := newPortal(t, sim.Options{Articles: 20, Seed: 11}, func(cfg string) string {
		return strings.Replace(cfg, "notify:\n  webhooks: []\n",
			"notify:\n  webhooks: [{url: '"+hook.srv.URL+"/hook', secret: '"+secret+"'}]\nwatch:\n  jitter: 0\n  healthz_max_age: 10m\n", 1)
	})
	w := startWatch(t, p, "--print-new")
	log, stdout, base := w.log, w.stdout, w.base

	seen := map[string]int{}
	var events []received
	countEvent := func(kind string) int {
		n := 0
		for _, ev := range events {
			if ev.Event == kind {
				n++
			}
		}
		return n
	}
	truth := len(p.sim.Truth())
	waitEvents(t, hook, log, seen, &events, func() bool { return countEvent("article.new") >= truth })

	// New articles published while watch runs arrive once each.
	published := p.sim.Publish(3)
	hasArticle := func(path string) bool {
		for _, ev := range events {
			if ev.Article != nil && ev.Article.URL == p.srv.URL+path {
				return true
			}
		}
		return false
	}
	waitEvents(t, hook, log, seen, &events, func() bool {
		for _, a := range published {
			if !hasArticle(a.URL) {
				return false
			}
		}
		return true
	})
	waitRun(t, log)

	t.Run("webhook", func(t *testing.T) {
		for id, n := range seen {
			if n != 1 {
				t.Errorf("event %s delivered %d times", id, n)
			}
		}
		if n := countEvent("article.new"); n != truth+len(published) {
			t.Errorf("%d article.new events, want %d", n, truth+len(published))
		}
		if n := countEvent("profile_drift") + countEvent("crawl.failed"); n != 0 {
			t.Errorf("%d drift/failure events on a healthy portal", n)
		}
	})

	t.Run("feed", func(t *testing.T) {
		code, body := get(t, base+"/feed.atom")
		if code != http.StatusOK {
			t.Fatalf("/feed.atom: %d", code)
		}
		feed, err := gofeed.NewParser().ParseString(body)
		if err != nil {
			t.Fatalf("gofeed: %v\n%.500s", err, body)
		}
		if feed.FeedType != "atom" {
			t.Errorf("feed type %q", feed.FeedType)
		}
		for _, a := range published {
			n := 0
			for _, it := range feed.Items {
				if it.Link == p.srv.URL+a.URL {
					n++
					if it.Title != a.Title || !strings.HasPrefix(it.GUID, "urn:parc:") || it.PublishedParsed == nil {
						t.Errorf("entry %q: title %q guid %q published %v", a.URL, it.Title, it.GUID, it.Published)
					}
				}
			}
			if n != 1 {
				t.Errorf("published article %s in the feed %d times", a.URL, n)
			}
		}
	})

	t.Run("pages", func(t *testing.T) {
		// The archive's pages on watch's listener, between runs and
		// during them (from the crawl's own handle).
		code, body := get(t, base+"/")
		if code != http.StatusOK || !strings.Contains(body, `<html lang="vi">`) {
			t.Fatalf("/: %d\n%.300s", code, body)
		}
		a := published[0]
		code, body = get(t, base+"/search?q="+url.QueryEscape(a.Title))
		hit := regexp.MustCompile(`href="/articles/([0-9a-f]+)">` + regexp.QuoteMeta(html.EscapeString(a.Title)) + `</a>`).FindStringSubmatch(body)
		if code != http.StatusOK || hit == nil {
			t.Fatalf("search for %q: %d\n%s", a.Title, code, body)
		}
		if code, body := get(t, base+"/articles/"+hit[1]); code != http.StatusOK || !strings.Contains(body, html.EscapeString(a.Title)) {
			t.Errorf("/articles/%s: %d\n%.500s", hit[1], code, body)
		}
	})

	t.Run("print-new", func(t *testing.T) {
		lines := map[string]int{}
		sc := bufio.NewScanner(strings.NewReader(stdout.String()))
		sc.Buffer(nil, 1<<22)
		total := 0
		for sc.Scan() {
			var r record.Record
			if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
				t.Fatalf("--print-new line: %v", err)
			}
			lines[r.URL]++
			total++
		}
		for _, a := range published {
			if n := lines[p.srv.URL+a.URL]; n != 1 {
				t.Errorf("published article %s printed %d times", a.URL, n)
			}
		}
		if total != truth+len(published) || len(lines) != total {
			t.Errorf("%d lines for %d distinct articles, want %d", total, len(lines), truth+len(published))
		}
	})

	t.Run("metrics and healthz", func(t *testing.T) {
		code, text := get(t, base+"/metrics")
		if code != http.StatusOK {
			t.Fatalf("/metrics: %d", code)
		}
		fams := parseMetrics(t, text)
		if got := metricValue(t, fams, "parc_articles_total", "outcome", "new"); got != float64(truth+len(published)) {
			t.Errorf("parc_articles_total{outcome=new} = %v, want %d", got, truth+len(published))
		}
		if metricValue(t, fams, "parc_pages_fetched_total") < float64(truth) {
			t.Error("parc_pages_fetched_total below the number of articles")
		}
		if metricValue(t, fams, "parc_last_success_timestamp_seconds") < float64(time.Now().Add(-time.Minute).Unix()) {
			t.Error("parc_last_success_timestamp_seconds not recent")
		}
		if metricValue(t, fams, "parc_profile_drift") != 0 {
			t.Error("drift alarm on a healthy portal")
		}
		promtoolCheck(t, text)
		if code, body := get(t, base+"/healthz"); code != http.StatusOK {
			t.Errorf("/healthz: %d %s", code, body)
		}
	})

	// A redesign makes the profile drift: new articles are extracted by
	// fallback, the alarm goes off in /metrics and as a webhook event.
	t.Run("drift", func(t *testing.T) {
		p.sim.SetLayout(sim.LayoutRedesign)
		p.sim.Publish(6)
		waitEvents(t, hook, log, seen, &events, func() bool { return countEvent("profile_drift") > 0 })
		waitRun(t, log)
		var drift received
		for _, ev := range events {
			if ev.Event == "profile_drift" {
				drift = ev
			}
		}
		var v struct {
			Drifted bool    `json:"drifted"`
			Share   float64 `json:"fallback_share"`
		}
		t.Logf("profile_drift: %s", drift.Drift)
		if err := json.Unmarshal(drift.Drift, &v); err != nil || !v.Drifted || len(drift.Stats) == 0 {
			t.Errorf("profile_drift event: drift %s stats %s (%v)", drift.Drift, drift.Stats, err)
		}
		_, text := get(t, base+"/metrics")
		fams := parseMetrics(t, text)
		if got := metricValue(t, fams, "parc_profile_drift"); got != 1 {
			t.Errorf("parc_profile_drift = %v after a redesign", got)
		}
		if !strings.Contains(log.String(), "extraction drift") {
			t.Error("no drift warning in the log")
		}
	})

	w.stop(t)
	// Between runs (here: after the stop) the archive is free.
	if recs := p.records(t); len(recs) != truth+len(published)+6 {
		t.Errorf("%d records after watch, want %d", len(recs), truth+len(published)+6)
	}
}

// `parc crawl` (run from cron) sends the same webhooks, writes
// --metrics-file, and announces a failed run.
func TestCrawlWebhooksAndMetricsFile(t *testing.T) {
	const secret = "cron"
	hook := newReceiver(t, secret)
	p := newPortal(t, sim.Options{Articles: 8, Seed: 2}, func(cfg string) string {
		return strings.Replace(cfg, "notify:\n  webhooks: []\n",
			"notify:\n  webhooks: [{url: '"+hook.srv.URL+"/hook', secret: '"+secret+"'}]\n", 1)
	})
	metrics := filepath.Join(t.TempDir(), "parc.prom")
	summary := p.crawl(t, "--metrics-file", metrics)
	truth := len(p.sim.Truth())
	// The summary counts every delivery of the run, not the last pass's.
	if want := fmt.Sprintf("webhooks: %d delivered, 0 left for a later run\n", truth); !strings.Contains(summary, want) {
		t.Errorf("summary lacks %q:\n%s", want, summary)
	}
	got := map[string]int{}
	for len(got) < truth {
		select {
		case ev := <-hook.ch:
			if ev.Event != "article.new" || ev.Article == nil {
				t.Fatalf("unexpected event %s", ev.ID)
			}
			got[ev.Article.URL]++
		default:
			t.Fatalf("after the crawl: %d of %d article.new events delivered", len(got), truth)
		}
	}
	b, err := os.ReadFile(metrics)
	if err != nil {
		t.Fatal(err)
	}
	fams := parseMetrics(t, string(b))
	if v := metricValue(t, fams, "parc_articles_total", "outcome", "new"); v != float64(truth) {
		t.Errorf("metrics file: %v new, want %d", v, truth)
	}
	if v := metricValue(t, fams, "parc_webhook_pending"); v != 0 {
		t.Errorf("metrics file: %v deliveries pending", v)
	}
	promtoolCheck(t, string(b))

	// A second crawl announces nothing again.
	p.crawl(t, "--metrics-file", metrics)
	select {
	case ev := <-hook.ch:
		t.Errorf("second crawl of an unchanged portal sent %s", ev.ID)
	default:
	}

	// The portal goes away: the run fails (exit 1) and says so.
	p.srv.Close()
	_, stderr, code := parc(t, "crawl", "--config", p.config, "--archive", p.db, "--metrics-file", metrics)
	if code != exitFailed {
		t.Fatalf("crawl of an unreachable portal: exit %d\n%s", code, stderr)
	}
	select {
	case ev := <-hook.ch:
		if ev.Event != "crawl.failed" || len(ev.Stats) == 0 || ev.Article != nil {
			t.Errorf("failure event %s %s stats %s", ev.ID, ev.Event, ev.Stats)
		}
	default:
		t.Errorf("no crawl.failed event\n%s", stderr)
	}
	b, _ = os.ReadFile(metrics)
	if v := metricValue(t, parseMetrics(t, string(b)), "parc_runs_total", "result", "failure"); v != 1 {
		t.Errorf("metrics file after the failed run: %v failures", v)
	}
}

// With notify.revisions and --refresh, an edited article is announced as
// article.revised and shows in the feed as an updated entry with the same id.
func TestWatchRevisions(t *testing.T) {
	const secret = "rev"
	hook := newReceiver(t, secret)
	p := newPortal(t, sim.Options{Articles: 5, Seed: 9}, func(cfg string) string {
		return strings.Replace(cfg, "notify:\n  webhooks: []\n",
			"notify:\n  webhooks: [{url: '"+hook.srv.URL+"/hook', secret: '"+secret+"'}]\n  revisions: true\nwatch:\n  jitter: 0\n", 1)
	})
	w := startWatch(t, p, "--refresh")
	seen := map[string]int{}
	var events []received
	truth := p.sim.Truth()
	waitEvents(t, hook, w.log, seen, &events, func() bool { return len(events) >= len(truth) })
	edited, err := p.sim.Edit(truth[len(truth)-1].Key)
	if err != nil {
		t.Fatal(err)
	}
	var rev *record.Record
	waitEvents(t, hook, w.log, seen, &events, func() bool {
		for _, ev := range events {
			if ev.Event == "article.revised" && ev.Article.URL == p.srv.URL+edited.URL {
				rev = ev.Article
				return true
			}
		}
		return false
	})
	waitRun(t, w.log)
	if rev.Revision != 2 || rev.Title != edited.Title {
		t.Errorf("revised record: revision %d title %q, want 2 %q", rev.Revision, rev.Title, edited.Title)
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("event %s delivered %d times", id, n)
		}
	}
	_, body := get(t, w.base+"/feed.atom")
	feed, err := gofeed.NewParser().ParseString(body)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, it := range feed.Items {
		if it.GUID == "urn:parc:"+rev.ID {
			n++
			if it.Title != edited.Title || it.UpdatedParsed == nil || it.UpdatedParsed.Format(time.RFC3339) != rev.LastChanged {
				t.Errorf("revised entry: title %q updated %v, want %q %s", it.Title, it.Updated, edited.Title, rev.LastChanged)
			}
		}
	}
	if n != 1 {
		t.Errorf("revised article in the feed %d times, want once", n)
	}
	w.stop(t)
}

// Between runs watch holds no lock: export and a manual crawl work.
func TestWatchReleasesArchiveBetweenRuns(t *testing.T) {
	p := newPortal(t, sim.Options{Articles: 6, Seed: 4}, nil)
	w := startWatch(t, p, "--every", "1h") // the later flag wins: one run, then a long wait
	waitRun(t, w.log)
	if code, body := get(t, w.base+"/healthz"); code != http.StatusOK {
		t.Errorf("/healthz after a successful run: %d %s", code, body)
	}
	_, stderr, code := parc(t, "export", "--config", p.config, "--archive", p.db, "--wait", "0s")
	if code != 0 {
		t.Fatalf("export between runs: exit %d\n%s", code, stderr)
	}
	p.sim.Publish(1)
	p.crawl(t) // a manual crawl between watch runs
	w.stop(t)
	if n := len(p.records(t)); n != len(p.sim.Truth()) {
		t.Errorf("%d records, want %d", n, len(p.sim.Truth()))
	}
}
