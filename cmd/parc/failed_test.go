package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Failures you can act on: the summary lists the failed URLs whole, with
// kind, status and attempts; parc stats --failed lists every URL that
// failed and waits for the next crawl, as a table or JSON lines.
func TestFailedURLsAreListed(t *testing.T) {
	long := "/nd/" + strings.Repeat("rat-dai-", 20) + "b.html"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		switch r.URL.Path {
		case "/":
			fmt.Fprintf(w, `<html><body><a href="/nd/a.html">a</a><a href="%s">b</a><a href="/nd/c.html">c</a></body></html>`, long)
		case "/nd/a.html":
			fmt.Fprint(w, `<html><head><title>A</title></head><body><article><h1>Bài A</h1><p>Nội dung bài A đủ dài để là một bài báo thật sự, với nhiều chữ.</p></article></body></html>`)
		case "/nd/c.html":
			http.Error(w, "forbidden", http.StatusForbidden)
		default:
			http.Error(w, "down", http.StatusServiceUnavailable)
		}
	}))
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.yaml")
	db := filepath.Join(dir, "parc.db")
	text := fmt.Sprintf("portal:\n  name: t\n  start_urls: [%q]\n  article_url: '/nd/'\ncrawl:\n  delay: 0s\n  retries: 0\n  respect_robots: false\narchive:\n  path: %s\n", srv.URL+"/", db)
	if err := os.WriteFile(cfg, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, _ := parc(t, "crawl", "--config", cfg)
	for _, want := range []string{
		"crawl: failed: http-5xx 503 after 1 attempts: " + srv.URL + long,
		"crawl: failed: http-4xx 403 after 1 attempts: " + srv.URL + "/nd/c.html",
		"level=WARN msg=\"page failed\" component=crawler url=" + srv.URL + long,
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("the crawl's standard error lacks %q:\n%s", want, stderr)
		}
	}
	out, stderr, code := parc(t, "stats", "--failed", "--config", cfg)
	if code != 0 || !regexp.MustCompile(`(?m)^http-5xx +503 +1 +next crawl +`+regexp.QuoteMeta(srv.URL+long)+`$`).MatchString(out) ||
		!regexp.MustCompile(`(?m)^http-4xx +403 +1 +when linked again +`+regexp.QuoteMeta(srv.URL+"/nd/c.html")+`$`).MatchString(out) {
		t.Errorf("stats --failed: exit %d\n%s%s", code, out, stderr)
	}
	out, _, _ = parc(t, "stats", "--failed", "--json", "--config", cfg)
	n := 0
	for sc := bufio.NewScanner(strings.NewReader(out)); sc.Scan(); n++ {
		var l failedLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil || l.URL == "" || l.Kind == "" || l.NextRetry == "" {
			t.Errorf("stats --failed --json line %q: %v", sc.Bytes(), err)
		}
	}
	if n != 2 {
		t.Errorf("stats --failed --json: %d lines, want 2\n%s", n, out)
	}
}
