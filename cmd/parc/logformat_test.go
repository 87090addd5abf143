package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/parc-archiver/parc/sim"
)

// With --log-format json every line on standard error is one JSON object
// with a "time" key: log records, the summary and the final error alike.
func TestLogFormatJSON(t *testing.T) {
	p := newPortal(t, sim.Options{Articles: 6, Seed: 2}, nil)
	for _, c := range []struct {
		args []string
		code int
		want string // a msg some line carries
	}{
		{[]string{"crawl", "--config", p.config, "--archive", p.db, "--log-format", "json", "--log-level", "debug"}, 0, "crawl: "},
		{[]string{"export", "--log-format=json", "--config", p.config, "--archive", p.db, "--format", "bogus"}, 2, "parc: "},
		{[]string{"show", "--config", p.config, "--archive", p.db, "--log-format", "json", "0000000000000000"}, 1, "parc: "},
	} {
		var stdout, stderr bytes.Buffer
		code := runMain(c.args, strings.NewReader(""), &stdout, &stderr)
		if code != c.code {
			t.Errorf("%v: exit %d, want %d\n%s", c.args, code, c.code, stderr.String())
		}
		found := false
		for sc := bufio.NewScanner(&stderr); sc.Scan(); {
			var rec map[string]any
			if err := json.Unmarshal(sc.Bytes(), &rec); err != nil || rec["time"] == nil {
				t.Errorf("%v: a line that is not a JSON object with a time: %q", c.args[0], sc.Bytes())
				continue
			}
			if msg, _ := rec["msg"].(string); strings.HasPrefix(msg, c.want) {
				found = true
			}
		}
		if !found {
			t.Errorf("%v: no line with a msg starting %q", c.args[0], c.want)
		}
	}
}

// --log-level leaves out the records below it; an unknown level or
// format is a usage error.
func TestLogLevel(t *testing.T) {
	// Without article_url the crawl warns (docs/OPERATIONS.md).
	p := newPortal(t, sim.Options{Articles: 3, Seed: 2}, func(cfg string) string {
		return regexp.MustCompile(`(?m)^  article_url: .*\n`).ReplaceAllString(cfg, "")
	})
	_, stderr, code := parc(t, "crawl", "--config", p.config, "--archive", p.db, "--log-level", "warn")
	if code != 0 || !strings.Contains(stderr, "level=WARN") {
		t.Errorf("--log-level warn: exit %d, no warning:\n%s", code, stderr)
	}
	_, stderr, code = parc(t, "crawl", "--config", p.config, "--archive", p.db, "--log-level", "error")
	if code != 0 || strings.Contains(stderr, "level=WARN") || !strings.Contains(stderr, "crawl: ") {
		t.Errorf("--log-level error: exit %d, want no warnings but the summary:\n%s", code, stderr)
	}
	for _, bad := range [][]string{{"--log-level", "loud"}, {"--log-format", "xml"}} {
		if _, stderr, code := parc(t, append([]string{"stats", "--config", p.config, "--archive", p.db}, bad...)...); code != 2 || !strings.Contains(stderr, bad[0]) {
			t.Errorf("%v: exit %d, want 2 naming the flag:\n%s", bad, code, stderr)
		}
	}
}
