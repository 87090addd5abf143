package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/parc-archiver/parc/internal/testtool"
	"github.com/parc-archiver/parc/sim"
)

// gzipping serves h gzip-compressed, streamed (chunked), to a client that
// asks for gzip, as real portals' servers do.
func gzipping(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			h.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		for k, vs := range rec.Header() {
			w.Header()[k] = vs
		}
		w.Header().Del("Content-Length")
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Vary", "Accept-Encoding")
		w.WriteHeader(rec.Code)
		zw := gzip.NewWriter(w)
		zw.Write(rec.Body.Bytes())
		zw.Close()
	})
}

// warcRecord is one line of test-tools/readers/warc-read.mjs.
type warcRecord struct {
	Type, Target, Statusline string
	Status                   int
	WARC                     map[string]string `json:"warc"` // lower-case names
	HTTP                     map[string]string `json:"http"` // lower-case names
	PayloadSHA1              string
	Text                     string
}

func readWARC(t *testing.T, path string) []warcRecord {
	t.Helper()
	out, ok := testtool.NodeScript(t, "warc-read.mjs", path)
	if !ok {
		t.SkipNow()
	}
	var recs []warcRecord
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<26)
	for sc.Scan() {
		var r warcRecord
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("warcio output: %v", err)
		}
		recs = append(recs, r)
	}
	return recs
}

// The WARC holds what went over the wire (issue 17 item 6): the request
// with the Accept-Encoding parc sent, the response with its
// Content-Encoding and the gzip bytes as received, whose digest is the
// WARC-Payload-Digest; warcio (ReplayWeb.page's reader) decodes each
// payload back to the article page. Re-extraction still reads the pages.
func TestWARCAsWentOverTheWire(t *testing.T) {
	p := sim.New(sim.Options{Articles: 12, Seed: 8})
	srv := httptest.NewServer(gzipping(p))
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(cfg, []byte(p.Config(srv.URL)), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "parc.db")
	if _, stderr, code := parc(t, "crawl", "--config", cfg, "--archive", db); code != 0 {
		t.Fatalf("crawl: exit %d\n%s", code, stderr)
	}
	warc := filepath.Join(dir, "out.warc.gz")
	if _, stderr, code := parc(t, "export", "--config", cfg, "--archive", db, "--format", "warc", "--out", warc); code != 0 {
		t.Fatalf("export: exit %d\n%s", code, stderr)
	}
	var titles []string
	for _, a := range p.Truth() {
		titles = append(titles, a.Title)
	}
	recs := readWARC(t, warc)
	requests, responses, decoded := map[string]warcRecord{}, 0, 0
	for _, r := range recs {
		if r.Type == "request" {
			requests[r.WARC["warc-concurrent-to"]] = r
		}
	}
	for _, r := range recs {
		if r.Type != "response" {
			continue
		}
		responses++
		req, ok := requests[r.WARC["warc-record-id"]]
		if !ok {
			t.Errorf("%s: no request record", r.Target)
		} else if !strings.Contains(req.HTTP["accept-encoding"], "gzip") || req.HTTP["host"] == "" || req.HTTP["x-parc-wire-slot"] != "" {
			t.Errorf("%s: request headers %v: want the Accept-Encoding and Host sent, nothing private", r.Target, req.HTTP)
		}
		if r.HTTP["content-encoding"] != "gzip" || r.HTTP["x-archive-orig-transfer-encoding"] != "chunked" || r.HTTP["transfer-encoding"] != "" {
			t.Errorf("%s: response headers %v: want Content-Encoding gzip as received, the chunking noted", r.Target, r.HTTP)
		}
		if r.PayloadSHA1 != r.WARC["warc-payload-digest"] {
			t.Errorf("%s: payload digest %s, WARC-Payload-Digest %s", r.Target, r.PayloadSHA1, r.WARC["warc-payload-digest"])
		}
		if r.WARC["parc-capture"] != "" {
			t.Errorf("%s: a new capture marked %q", r.Target, r.WARC["parc-capture"])
		}
		if !strings.Contains(r.Text, "<html") {
			t.Errorf("%s: warcio did not decode the payload to the page: %.80q", r.Target, r.Text)
		}
		for _, title := range titles {
			if strings.Contains(r.Text, htmlEscape(title)) {
				decoded++
				break
			}
		}
	}
	if responses == 0 || decoded != responses {
		t.Errorf("%d response records, %d decode to a page holding an article's title", responses, decoded)
	}
	if _, stderr, code := parc(t, "reextract", "--config", cfg, "--archive", db); code != 0 || !strings.Contains(stderr, " 0 failed") {
		t.Errorf("reextract over gzip captures: exit %d\n%s", code, stderr)
	}
}

func htmlEscape(s string) string { return html.EscapeString(s) }

// archive.keep_raw: all keeps every response, not only the articles': the
// WARC then holds robots.txt, the home page and the listings, so that their links to
// the archived pages resolve in a replay tool; an unchanged recrawl adds
// no capture (identical responses are kept once).
func TestKeepRawAllReplaysNavigation(t *testing.T) {
	p := sim.New(sim.Options{Articles: 25, Seed: 9})
	srv := httptest.NewServer(gzipping(p))
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.yaml")
	conf := strings.Replace(p.Config(srv.URL), "keep_raw: true", "keep_raw: all", 1)
	if err := os.WriteFile(cfg, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "parc.db")
	exportWARC := func(name string) []warcRecord {
		t.Helper()
		if _, stderr, code := parc(t, "crawl", "--config", cfg, "--archive", db); code != 0 {
			t.Fatalf("crawl: exit %d\n%s", code, stderr)
		}
		path := filepath.Join(dir, name)
		if _, stderr, code := parc(t, "export", "--config", cfg, "--archive", db, "--format", "warc", "--out", path); code != 0 {
			t.Fatalf("export: exit %d\n%s", code, stderr)
		}
		return readWARC(t, path)
	}
	first := exportWARC("first.warc.gz")
	byURL := map[string]warcRecord{}
	for _, r := range first {
		if r.Type == "response" {
			byURL[r.Target] = r
		}
	}
	if r, ok := byURL[srv.URL+"/robots.txt"]; !ok || !strings.Contains(r.Text, "Disallow") {
		t.Errorf("robots.txt not in the WARC (or not decoded): %+v", r)
	}
	home, ok := byURL[srv.URL+"/"]
	if !ok || !strings.Contains(home.Text, "<a ") {
		t.Fatalf("no response record of the home page among %d", len(byURL))
	}
	// Every link of the home page that parc followed resolves to a response
	// record: the navigation replays.
	links, resolved := 0, 0
	for _, m := range hrefRE.FindAllStringSubmatch(home.Text, -1) {
		u := html.UnescapeString(m[1])
		if strings.HasPrefix(u, "/") {
			u = srv.URL + u
		}
		if !strings.HasPrefix(u, srv.URL+"/") || strings.Contains(u, "#") || strings.Contains(u, "print=") || strings.Contains(u, "utm_") {
			continue
		}
		links++
		if _, ok := byURL[u]; ok {
			resolved++
		}
	}
	t.Logf("%d of the home page's %d same-site links resolve; %d WARC records", resolved, links, len(first))
	if links == 0 || resolved*10 < links*9 {
		t.Errorf("%d of the home page's %d same-site links resolve to a response record", resolved, links)
	}
	second := exportWARC("second.warc.gz")
	if len(second) != len(first) {
		t.Errorf("an unchanged recrawl grew the WARC from %d to %d records", len(first), len(second))
	}
}

var hrefRE = regexp.MustCompile(`href="([^"]+)"`)
