package main

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/parc-archiver/parc/sim"
)

// parc stats prints text for a person by default (counts aligned, the size
// in MB, the last runs as a table), and JSON with today's keys on --json.
func TestStatsTextAndJSON(t *testing.T) {
	p := newPortal(t, sim.Options{Articles: 12, Seed: 6}, nil)
	p.crawl(t)
	p.crawl(t)
	out, stderr, code := parc(t, "stats", "--config", p.config, "--archive", p.db)
	if code != 0 {
		t.Fatalf("stats: exit %d\n%s", code, stderr)
	}
	for _, re := range []string{
		`(?m)^records: +12 \(0 redacted\)$`,
		`(?m)^archive size: +\d+\.\d MB$`,
		`(?m)^crawl run: +2, finished$`,
		`(?m)^last 2 runs:$`,
		`(?m)^ +finished +pages +new +updated +unchanged +duplicates +failed +seconds +outcome$`,
		`(?m)^ +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d +\d+ +12 +0 +0 +\d+ +0 +\d+\.\d +ok$`,
	} {
		if !regexp.MustCompile(re).MatchString(out) {
			t.Errorf("stats text lacks %s:\n%s", re, out)
		}
	}
	if strings.Contains(out, "{") {
		t.Errorf("stats text holds JSON:\n%s", out)
	}
	out, _, code = parc(t, "stats", "--json", "--config", p.config, "--archive", p.db)
	var st map[string]any
	if err := json.Unmarshal([]byte(out), &st); err != nil || code != 0 {
		t.Fatalf("stats --json: exit %d, %v\n%s", code, err, out)
	}
	for _, k := range []string{"records", "revisions", "captures", "urls", "redacted", "size", "run", "run_finished", "frontier_pending", "frontier_failed", "change_seq", "last_runs", "failures_last_run", "retried_last_run", "failures_recent"} {
		if _, ok := st[k]; !ok {
			t.Errorf("stats --json lacks %q", k)
		}
	}
}
