package config

import (
	"strings"
	"testing"
)

// archive.keep_raw takes false, true (as before) and all; anything else is
// an error naming the key and its line.
func TestKeepRaw(t *testing.T) {
	for _, tc := range []struct {
		value string
		want  RawMode
	}{{"false", RawNone}, {"true", RawArticles}, {"all", RawAll}, {"ALL", RawAll}} {
		cfg := "portal:\n  start_urls: [\"https://example.com/\"]\narchive:\n  keep_raw: " + tc.value + "\n"
		c, err := Parse(strings.NewReader(cfg), "config.yaml")
		if err != nil {
			t.Errorf("keep_raw: %s: %v", tc.value, err)
			continue
		}
		if c.Archive.KeepRaw != tc.want || c.Archive.KeepRaw.Articles() != (tc.want != RawNone) || c.Archive.KeepRaw.All() != (tc.want == RawAll) {
			t.Errorf("keep_raw: %s = %v", tc.value, c.Archive.KeepRaw)
		}
	}
	_, err := Parse(strings.NewReader("portal:\n  start_urls: [\"https://example.com/\"]\narchive:\n  keep_raw: everything\n"), "config.yaml")
	if err == nil || !strings.Contains(err.Error(), "config.yaml:4: archive.keep_raw") {
		t.Errorf("keep_raw: everything: %v, want an error at config.yaml:4 naming archive.keep_raw", err)
	}
}
