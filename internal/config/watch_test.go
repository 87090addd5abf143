package config

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestWatchAndNotifyDefaults(t *testing.T) {
	c, err := Parse(strings.NewReader(good), "config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if c.Watch.Listen != "127.0.0.1:8080" || c.Watch.Jitter != 0.1 || c.Watch.FeedEntries != 50 {
		t.Errorf("watch defaults: %+v", c.Watch)
	}
	if c.Notify.Revisions || c.Notify.DriftThreshold != 0.5 || c.Notify.DriftMinArticles != 5 {
		t.Errorf("notify defaults: %+v", c.Notify)
	}
	if got := c.HealthMaxAge(); got != 90*time.Minute {
		t.Errorf("HealthMaxAge = %v, want 3 × crawl.every = 90m", got)
	}
}

func TestWatchAndNotifyKeys(t *testing.T) {
	in := good + `  every: 5m
notify:
  webhooks: [{url: "http://127.0.0.1:9/hook", secret: s3cret}]
  revisions: true
  drift_threshold: 0.3
  drift_min_articles: 10
watch:
  listen: "0.0.0.0:9100"
  jitter: 0
  healthz_max_age: 1h
  feed_entries: 20
  cadence:
    - {url: "http://127.0.0.1:8080/", every: 1m}
`
	in = strings.Replace(in, "archive:\n  path: /tmp/x.db\n  every: 5m\n", "archive:\n  path: /tmp/x.db\n", 1)
	in = strings.Replace(in, "  parallelism: 4\n", "  parallelism: 4\n  every: 5m\n", 1)
	c, err := Parse(strings.NewReader(in), "config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if c.Watch.Listen != "0.0.0.0:9100" || c.Watch.Jitter != 0 || c.Watch.FeedEntries != 20 || c.HealthMaxAge() != time.Hour {
		t.Errorf("watch: %+v", c.Watch)
	}
	if len(c.Watch.Cadence) != 1 || c.Watch.Cadence[0].Every.D() != time.Minute {
		t.Errorf("cadence: %+v", c.Watch.Cadence)
	}
	if !c.Notify.Revisions || c.Notify.DriftThreshold != 0.3 || c.Notify.DriftMinArticles != 10 ||
		len(c.Notify.Webhooks) != 1 || c.Notify.Webhooks[0].Secret != "s3cret" {
		t.Errorf("notify: %+v", c.Notify)
	}
}

func TestWatchAndNotifyErrors(t *testing.T) {
	tests := []struct {
		name, add string
		line      int
		key, msg  string
	}{
		{"bad listen", "watch:\n  listen: localhost\n", 16, "watch.listen", "host:port"},
		{"jitter above 1", "watch:\n  jitter: 2\n", 16, "watch.jitter", "from 0 to 1"},
		{"bad max age", "watch:\n  healthz_max_age: often\n", 16, "watch.healthz_max_age", "bad duration"},
		{"no feed entries", "watch:\n  feed_entries: 0\n", 16, "watch.feed_entries", "at least 1"},
		{"unknown watch key", "watch:\n  every: 5m\n", 16, "watch.every", "unknown key"},
		{"cadence of an unknown start url", "watch:\n  cadence: [{url: \"http://other/\", every: 5m}]\n", 16, "watch.cadence[0].url", "not one of portal.start_urls"},
		{"cadence without interval", "watch:\n  cadence: [{url: \"http://127.0.0.1:8080/\"}]\n", 16, "watch.cadence[0].every", "positive"},
		{"zero drift threshold", "notify:\n  drift_threshold: 0\n", 16, "notify.drift_threshold", "above 0"},
		{"drift min articles", "notify:\n  drift_min_articles: -1\n", 16, "notify.drift_min_articles", "at least 1"},
		{"bad webhook", "notify:\n  webhooks: [{url: \"ftp://x/\"}]\n", 16, "notify.webhooks[0].url", "absolute http"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(good+tt.add), "cfg.yaml")
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want *Error", err)
			}
			if ce.Line != tt.line || ce.Key != tt.key || !strings.Contains(ce.Msg, tt.msg) {
				t.Errorf("got %v (line %d key %q), want line %d key %q msg ~%q", err, ce.Line, ce.Key, tt.line, tt.key, tt.msg)
			}
		})
	}
}
