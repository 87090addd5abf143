package config

import (
	"errors"
	"strings"
	"testing"
	"time"
)

const good = `portal:
  name: test
  start_urls: ["http://127.0.0.1:8080/"]
  allowed_domains: ["127.0.0.1:8080"]
  article_url: '/nd/[^/]+/[^/]+\.html$'
  listing_url: '/nd/[^/]+(/\d+)?\.html$'
  selectors:
    title: "div.cms.view.content > h2"
    remove: ["div.sponsor"]
crawl:
  delay: 0s
  parallelism: 4
archive:
  path: /tmp/x.db
`

func TestRevisitAfter(t *testing.T) {
	c, err := Parse(strings.NewReader(strings.Replace(good, "parallelism: 4\n", "parallelism: 4\n  revisit_after: 24h\n", 1)), "config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if c.Crawl.RevisitAfter.D() != 24*time.Hour {
		t.Errorf("revisit_after = %v", c.Crawl.RevisitAfter.D())
	}
	if _, err := Parse(strings.NewReader(strings.Replace(good, "parallelism: 4\n", "parallelism: 4\n  revisit_after: daily\n", 1)), "config.yaml"); err == nil || !strings.Contains(err.Error(), "crawl.revisit_after") {
		t.Errorf("bad revisit_after: %v", err)
	}
}

func TestParseGood(t *testing.T) {
	c, err := Parse(strings.NewReader(good), "config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Portal.AllowedDomains[0]; got != "127.0.0.1" {
		t.Errorf("allowed domain %q: the port should be dropped", got)
	}
	if c.Crawl.Delay.D() != 0 || c.Crawl.Parallelism != 4 {
		t.Errorf("crawl = %+v", c.Crawl)
	}
	if c.Crawl.Timeout.D() != 30*time.Second || c.Crawl.Retries != 3 || !c.Crawl.RespectRobots || !c.Archive.KeepRaw.Articles() {
		t.Errorf("defaults not applied: %+v %+v", c.Crawl, c.Archive)
	}
	if c.Portal.ArticleRE() == nil || !c.Portal.ArticleRE().MatchString("http://h/nd/tin/abc.html") {
		t.Error("article_url not compiled")
	}
	if c.Portal.Location().String() != "Asia/Ho_Chi_Minh" {
		t.Errorf("location %v", c.Portal.Location())
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name     string
		replace  [2]string // in good
		line     int
		key, msg string
	}{
		{"unknown key", [2]string{"  parallelism: 4", "  parallelism: 4\n  paralelism: 3"}, 13, "crawl.paralelism", `unknown key "paralelism"`},
		{"bad duration", [2]string{"delay: 0s", "delay: soon"}, 11, "crawl.delay", "bad duration"},
		{"bad regexp", [2]string{`article_url: '/nd/[^/]+/[^/]+\.html$'`, `article_url: '/nd/[^/+'`}, 5, "portal.article_url", "bad regexp"},
		{"bad selector", [2]string{`title: "div.cms.view.content > h2"`, `title: "div..x >"`}, 8, "portal.selectors.title", "bad selector"},
		{"bad remove selector", [2]string{`remove: ["div.sponsor"]`, `remove: ["div.sponsor", "p:bogus("]`}, 9, "portal.selectors.remove[1]", "bad selector"},
		{"wrong type", [2]string{"parallelism: 4", "parallelism: many"}, 12, "crawl.parallelism", "cannot unmarshal"},
		{"no start url", [2]string{`start_urls: ["http://127.0.0.1:8080/"]`, `start_urls: []`}, 3, "portal.start_urls", "required"},
		{"bad timezone", [2]string{"  name: test", "  name: test\n  timezone: Mars/Olympus"}, 3, "portal.timezone", "unknown time zone"},
		{"zero parallelism", [2]string{"parallelism: 4", "parallelism: 0"}, 12, "crawl.parallelism", "at least 1"},
		{"syntax", [2]string{"crawl:", "crawl: ["}, 0, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := strings.Replace(good, tt.replace[0], tt.replace[1], 1)
			if in == good {
				t.Fatal("replacement did not apply")
			}
			_, err := Parse(strings.NewReader(in), "cfg.yaml")
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want *Error", err)
			}
			if !strings.HasPrefix(err.Error(), "cfg.yaml") {
				t.Errorf("error %q does not name the file", err)
			}
			if tt.line != 0 && ce.Line != tt.line {
				t.Errorf("line = %d, want %d (%v)", ce.Line, tt.line, err)
			}
			if tt.key != "" && ce.Key != tt.key {
				t.Errorf("key = %q, want %q (%v)", ce.Key, tt.key, err)
			}
			if !strings.Contains(ce.Msg, tt.msg) {
				t.Errorf("msg = %q, want it to contain %q", ce.Msg, tt.msg)
			}
		})
	}
}

func TestParseEmptyNeedsStartURLs(t *testing.T) {
	_, err := Parse(strings.NewReader(""), "empty.yaml")
	var ce *Error
	if !errors.As(err, &ce) || ce.Key != "portal.start_urls" {
		t.Fatalf("err = %v", err)
	}
}

// A file that sets only the start URLs gets the defaults the README's
// configuration table documents.
func TestDefaultsAsDocumented(t *testing.T) {
	c, err := Parse(strings.NewReader("portal:\n  start_urls: [\"https://www.vinachem.com.vn/\"]\n"), "config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cr := c.Crawl
	for _, d := range []struct {
		key       string
		got, want any
	}{
		{"portal.name", c.Portal.Name, "portal"},
		{"portal.allowed_domains", strings.Join(c.Portal.AllowedDomains, ","), "www.vinachem.com.vn"},
		{"portal.timezone", c.Portal.Timezone, "Asia/Ho_Chi_Minh"},
		{"crawl.user_agent", cr.UserAgent, "parc/" + Version + " (+https://github.com/parc-archiver/parc)"},
		{"crawl.delay", cr.Delay.D(), time.Second},
		{"crawl.parallelism", cr.Parallelism, 2},
		{"crawl.timeout", cr.Timeout.D(), 30 * time.Second},
		{"crawl.retries", cr.Retries, 3},
		{"crawl.max_redirects", cr.MaxRedirects, 10},
		{"crawl.respect_robots", cr.RespectRobots, true},
		{"crawl.max_pages", cr.MaxPages, 0},
		{"crawl.max_body_bytes", cr.MaxBodyBytes, int64(10485760)},
		{"crawl.max_links_per_page", cr.MaxLinksPerPage, 10000},
		{"crawl.max_new_urls_per_run", cr.MaxNewURLsPerRun, 1000000},
		{"crawl.every", cr.Every.D(), 30 * time.Minute},
		{"crawl.max_crawl_delay", cr.MaxCrawlDelay.D(), 30 * time.Second},
		{"crawl.backoff", cr.Backoff.D(), time.Second},
		{"crawl.revisit_after", cr.RevisitAfter.D(), time.Duration(0)},
		{"archive.path", c.Archive.Path, "./parc.db"},
		{"archive.keep_raw", c.Archive.KeepRaw, RawArticles},
		{"notify.revisions", c.Notify.Revisions, false},
		{"notify.drift_threshold", c.Notify.DriftThreshold, 0.5},
		{"notify.drift_min_articles", c.Notify.DriftMinArticles, 5},
		{"watch.listen", c.Watch.Listen, "127.0.0.1:8080"},
		{"watch.jitter", c.Watch.Jitter, 0.1},
		{"watch.healthz_max_age", c.HealthMaxAge(), 90 * time.Minute},
		{"watch.feed_entries", c.Watch.FeedEntries, 50},
	} {
		if d.got != d.want {
			t.Errorf("%s = %v, want %v", d.key, d.got, d.want)
		}
	}
}
