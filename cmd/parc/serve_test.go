package main

import (
	"context"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
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
