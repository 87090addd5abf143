package config

import (
	"errors"
	"strings"
	"testing"
)

// TestRanges: every numeric key outside its range is refused as an *Error
// that names the file, the key's line and the key.
func TestRanges(t *testing.T) {
	for _, tc := range []struct{ section, line, key, want string }{
		{"crawl", "parallelism: 1000000000", "crawl.parallelism", "at most 256"},
		{"crawl", "parallelism: 0", "crawl.parallelism", "at least 1"},
		{"crawl", "max_body_bytes: 9223372036854775807", "crawl.max_body_bytes", "at most 1073741824"},
		{"crawl", "max_body_bytes: 100", "crawl.max_body_bytes", "at least 1024"},
		{"crawl", "max_pages: -1", "crawl.max_pages", "at least 0"},
		{"crawl", "max_links_per_page: 0", "crawl.max_links_per_page", "at least 1"},
		{"crawl", "max_links_per_page: 10000001", "crawl.max_links_per_page", "at most 10000000"},
		{"crawl", "max_new_urls_per_run: 0", "crawl.max_new_urls_per_run", "at least 1"},
		{"crawl", "max_new_urls_per_run: 99999999999", "crawl.max_new_urls_per_run", "at most 1000000000"},
		{"crawl", "retries: 1000", "crawl.retries", "at most 100"},
		{"crawl", "max_redirects: -1", "crawl.max_redirects", "at least 0"},
		{"crawl", "timeout: 0s", "crawl.timeout", "must be positive"},
		{"crawl", "timeout: 48h", "crawl.timeout", "at most 24h0m0s"},
		{"crawl", "backoff: -5s", "crawl.backoff", "bad duration"},
		{"crawl", "every: 100000h", "crawl.every", "at most 8784h0m0s"},
		{"crawl", "max_crawl_delay: 1000h", "crawl.max_crawl_delay", "to 24h0m0s"},
		{"crawl", "backoff: 1000h", "crawl.backoff", "to 24h0m0s"},
		{"notify", "drift_threshold: .nan", "notify.drift_threshold", "finite share"},
		{"notify", "drift_threshold: .inf", "notify.drift_threshold", "finite share"},
		{"notify", "drift_threshold: -.inf", "notify.drift_threshold", "finite share"},
		{"notify", "drift_threshold: 0", "notify.drift_threshold", "above 0"},
		{"notify", "drift_threshold: 1.5", "notify.drift_threshold", "finite share"},
		{"notify", "drift_min_articles: 0", "notify.drift_min_articles", "at least 1"},
		{"watch", "jitter: .nan", "watch.jitter", "finite share"},
		{"watch", "jitter: -0.1", "watch.jitter", "finite share"},
		{"watch", "feed_entries: 1000000", "watch.feed_entries", "at most 10000"},
		{"watch", "healthz_max_age: 100000h", "watch.healthz_max_age", "to 8784h0m0s"},
	} {
		in := good + tc.section + ":\n  " + tc.line + "\n"
		if tc.section == "crawl" {
			in = strings.Replace(good, "  parallelism: 4\n", "  parallelism: 4\n  "+tc.line+"\n", 1)
			if strings.HasPrefix(tc.line, "parallelism:") {
				in = strings.Replace(good, "  parallelism: 4\n", "  "+tc.line+"\n", 1)
			}
		}
		_, err := Parse(strings.NewReader(in), "config.yaml")
		var ce *Error
		if !errors.As(err, &ce) {
			t.Errorf("%s: got %v, want a *config.Error", tc.line, err)
			continue
		}
		lines := strings.Split(in, "\n")
		if ce.Line < 1 || !strings.Contains(lines[ce.Line-1], strings.SplitN(tc.line, ":", 2)[0]) || ce.Key != tc.key || !strings.Contains(ce.Msg, tc.want) {
			t.Errorf("%s: got %q (line %d), want config.yaml:LINE: %s: …%s…", tc.line, err, ce.Line, tc.key, tc.want)
		}
		if !strings.HasPrefix(err.Error(), "config.yaml:") || !strings.Contains(err.Error(), ": "+tc.key+": ") {
			t.Errorf("%s: message %q is not file:line: key: problem", tc.line, err)
		}
	}
}

// TestRangesEdges: the bounds themselves are accepted.
func TestRangesEdges(t *testing.T) {
	in := strings.Replace(good, "  parallelism: 4\n", "  parallelism: 256\n  max_body_bytes: 1073741824\n  max_pages: 0\n  max_links_per_page: 1\n  max_new_urls_per_run: 1000000000\n", 1) +
		"notify:\n  drift_threshold: 1\nwatch:\n  jitter: 0\n"
	if _, err := Parse(strings.NewReader(in), "config.yaml"); err != nil {
		t.Fatal(err)
	}
}
