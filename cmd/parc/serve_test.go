package main

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parc-archiver/parc/serve"
	"github.com/parc-archiver/parc/sim"
)

// serveLog is parc serve's standard error; it hands over the address the
// server announces.
type serveLog struct {
	mu   sync.Mutex
	buf  strings.Builder
	addr chan string
}

func (l *serveLog) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf.Write(b)
	for _, line := range strings.Split(string(b), "\n") {
		if _, rest, ok := strings.Cut(line, " at http://"); ok && strings.HasPrefix(line, "serve: ") {
			l.addr <- "http://" + strings.TrimSuffix(rest, "/")
		}
	}
	return len(b), nil
}

func (l *serveLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// startServe runs parc serve with args and returns its base URL.
func startServe(t *testing.T, args ...string) (string, *serveLog) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	log := &serveLog{addr: make(chan string, 1)}
	done := make(chan error, 1)
	go func() {
		done <- runParc(ctx, append([]string{"serve"}, args...), strings.NewReader(""), &syncBuffer{}, log)
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve after cancel: %v", err)
		}
	})
	select {
	case base := <-log.addr:
		return base, log
	case err := <-done:
		done <- err
		t.Fatalf("serve ended early: %v\n%s", err, log.String())
	case <-time.After(watchDeadline):
		t.Fatalf("serve did not start\n%s", log.String())
	}
	return "", nil
}

// TestServe: parc serve on a crawled archive of the simulated portal
// finds an article by its title typed without diacritics and shows it; a
// non-loopback address is warned about; bad usage is exit 2, a missing
// archive exit 1; --portal serves the portals named, of the config.
func TestServe(t *testing.T) {
	p := newPortal(t, sim.Options{Articles: 12, Seed: 3}, nil)
	p.crawl(t)
	recs := p.records(t)
	base, log := startServe(t, "--config", p.config, "--archive", p.db, "--listen", "127.0.0.1:0")
	if strings.Contains(log.String(), "warning") {
		t.Errorf("a warning on loopback:\n%s", log.String())
	}
	rec := recs[len(recs)/2]
	code, body := get(t, base+"/search?q="+url.QueryEscape(serve.Fold(rec.Title)))
	if code != http.StatusOK || !strings.Contains(body, "/articles/"+rec.ID) {
		t.Errorf("search for %q folded: %d\n%s", rec.Title, code, body)
	}
	if code, _ := get(t, base+"/articles/"+rec.ID); code != http.StatusOK {
		t.Errorf("article page: %d", code)
	}

	// --portal: the config's portal served; another name is exit 2 naming
	// the known ones, and /feed.atom?portal= of it 404.
	base, _ = startServe(t, "--config", p.config, "--archive", p.db, "--listen", "127.0.0.1:0", "--portal", rec.Portal)
	if code, _ := get(t, base+"/articles/"+rec.ID); code != http.StatusOK {
		t.Errorf("--portal %s: article page: %d", rec.Portal, code)
	}
	if code, body := get(t, base+"/feed.atom?portal=nope"); code != http.StatusNotFound || !strings.Contains(body, rec.Portal) {
		t.Errorf("--portal %s: /feed.atom?portal=nope: %d\n%s", rec.Portal, code, body)
	}
	if _, stderr, code := parc(t, "serve", "--config", p.config, "--archive", p.db, "--listen", "127.0.0.1:0", "--portal", "nope"); code != exitUsage || !strings.Contains(stderr, rec.Portal) {
		t.Errorf("--portal nope: exit %d\n%s", code, stderr)
	}
	// Without a config, the names are the archive's: not checked.
	base, _ = startServe(t, "--archive", p.db, "--listen", "127.0.0.1:0", "--portal", rec.Portal)
	if code, _ := get(t, base+"/articles/"+rec.ID); code != http.StatusOK {
		t.Errorf("no config, --portal %s: article page: %d", rec.Portal, code)
	}

	_, log = startServe(t, "--config", p.config, "--archive", p.db, "--listen", "0.0.0.0:0")
	if !strings.Contains(log.String(), "not a loopback address") {
		t.Errorf("no warning on 0.0.0.0:\n%s", log.String())
	}
	if _, stderr, code := parc(t, "serve", "--archive", p.db, "--listen", "nowhere"); code != exitUsage {
		t.Errorf("--listen nowhere: exit %d\n%s", code, stderr)
	}
	if _, stderr, code := parc(t, "serve", "--archive", filepath.Join(t.TempDir(), "none.db"), "--listen", "127.0.0.1:0"); code != exitFailed {
		t.Errorf("missing archive: exit %d\n%s", code, stderr)
	}
}

// gatedPortal is the simulated portal behind a gate: a request for the
// path set in block waits until release is closed, saying so on entered.
type gatedPortal struct {
	*portal
	block   atomic.Pointer[string]
	entered chan struct{}
	release chan struct{}
}

func newGatedPortal(t *testing.T, opts sim.Options) *gatedPortal {
	t.Helper()
	g := &gatedPortal{entered: make(chan struct{}, 1), release: make(chan struct{})}
	s := sim.New(opts)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if b := g.block.Load(); b != nil && r.URL.Path == *b {
			select {
			case g.entered <- struct{}{}:
			default:
			}
			<-g.release
		}
		s.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { g.open() })
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(cfg, []byte(s.Config(srv.URL)), 0o644); err != nil {
		t.Fatal(err)
	}
	g.portal = &portal{sim: s, srv: srv, config: cfg, db: filepath.Join(dir, "parc.db")}
	return g
}

func (g *gatedPortal) open() {
	select {
	case <-g.release:
	default:
		close(g.release)
	}
}

// untilIndexed asks a search of parc serve at base until it answers from
// an index in step with the archive (no "indexing" note): the server
// builds its index in the background when it starts.
func untilIndexed(t *testing.T, base, q string) string {
	t.Helper()
	deadline := time.Now().Add(watchDeadline)
	for {
		code, body := get(t, base+"/search?q="+url.QueryEscape(q))
		if code == http.StatusOK && !strings.Contains(body, "indexing") {
			return body
		}
		if time.Now().After(deadline) {
			t.Fatalf("search still indexing or failing: %d\n%s", code, body)
		}
	}
}

// TestServeBesideACrawl: parc serve on an archive that a crawl is writing
// answers searches from its index (saying the archive is busy) and other
// pages with 503 and Retry-After, never waiting for the crawl to end;
// once the crawl is done, the new article is found and shown.
func TestServeBesideACrawl(t *testing.T) {
	g := newGatedPortal(t, sim.Options{Articles: 12, Seed: 5})
	g.crawl(t)
	old := g.records(t)[3]
	base, _ := startServe(t, "--config", g.config, "--archive", g.db, "--listen", "127.0.0.1:0", "--wait", "20ms")
	if body := untilIndexed(t, base, serve.Fold(old.Title)); !strings.Contains(body, "/articles/"+old.ID) {
		t.Fatalf("search for %q before the crawl:\n%s", old.Title, body)
	}

	fresh := g.sim.Publish(1)[0]
	g.block.Store(&fresh.URL)
	crawled := make(chan string, 1)
	go func() {
		_, stderr, code := parc(t, "crawl", "--config", g.config, "--archive", g.db)
		crawled <- fmt.Sprintf("exit %d\n%s", code, stderr)
	}()
	select {
	case <-g.entered: // the crawl holds the archive, and waits for the new article
	case out := <-crawled:
		t.Fatalf("the crawl ended before fetching the new article: %s", out)
	}
	code, body := get(t, base+"/search?q="+url.QueryEscape(serve.Fold(old.Title)))
	if code != http.StatusOK || !strings.Contains(body, "/articles/"+old.ID) || !strings.Contains(body, "Kho đang bận") {
		t.Errorf("search during the crawl: %d\n%s", code, body)
	}
	resp, err := http.Get(base + "/articles/" + old.ID)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Errorf("article page during the crawl: %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}

	g.open()
	if out := <-crawled; !strings.HasPrefix(out, "exit 0") {
		t.Fatalf("crawl: %s", out)
	}
	body = untilIndexed(t, base, serve.Fold(fresh.Title))
	id := regexp.MustCompile(`href="/articles/([0-9a-f]+)">` + regexp.QuoteMeta(html.EscapeString(fresh.Title)) + `</a>`).FindStringSubmatch(body)
	if id == nil {
		t.Fatalf("the new article %q not found after the crawl:\n%s", fresh.Title, body)
	}
	if code, body := get(t, base+"/articles/"+id[1]); code != http.StatusOK || !strings.Contains(body, html.EscapeString(fresh.Title)) {
		t.Errorf("the new article's page: %d\n%.500s", code, body)
	}
}

// TestWatchServesDuringACrawl: while parc watch's crawl holds the archive
// (gated on a new article), the pages on watch's listener answer from
// the crawl's own handle: search and article pages in full, not busy.
func TestWatchServesDuringACrawl(t *testing.T) {
	g := newGatedPortal(t, sim.Options{Articles: 12, Seed: 6})
	g.crawl(t)
	old := g.records(t)[4]
	fresh := g.sim.Publish(1)[0]
	g.block.Store(&fresh.URL)
	w := startWatch(t, g.portal)
	select {
	case <-g.entered: // watch's first run holds the archive, and waits for the new article
	case <-time.After(watchDeadline):
		t.Fatalf("watch's crawl did not fetch the new article\n%s", w.log.String())
	}
	code, body := get(t, w.base+"/search?q="+url.QueryEscape(serve.Fold(old.Title)))
	if code != http.StatusOK || !strings.Contains(body, "/articles/"+old.ID) || strings.Contains(body, "Kho đang bận") {
		t.Errorf("search during watch's crawl: %d\n%s", code, body)
	}
	if code, body := get(t, w.base+"/articles/"+old.ID); code != http.StatusOK || !strings.Contains(body, html.EscapeString(old.Title)) {
		t.Errorf("article page during watch's crawl: %d\n%.500s", code, body)
	}
	g.open()
	w.stop(t)
}
