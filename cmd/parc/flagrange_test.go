package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// A negative number or duration given to a flag is a usage error naming
// the flag, before any config is read.
func TestNegativeFlagValuesAreUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"crawl", "--max-pages", "-1"},
		{"crawl", "--max-pages=-5"},
		{"export", "--wait", "-5s"},
		{"export", "--limit", "-3"},
		{"watch", "--every", "-1m"},
		{"sim", "--articles", "-10"},
	} {
		var out, errOut bytes.Buffer
		err := runParc(context.Background(), append(args, "--config", "/nonexistent/config.yaml"), strings.NewReader(""), &out, &errOut)
		if code := exitCode(err); code != exitUsage || !strings.Contains(errString(err), "--"+strings.TrimLeft(strings.SplitN(args[1], "=", 2)[0], "-")) {
			t.Errorf("parc %s: exit %d (%v), want %d naming the flag", strings.Join(args, " "), code, err, exitUsage)
		}
	}
}

// Usage errors found from outside that exited 1: each exits 2.
func TestUsageErrorsExitTwo(t *testing.T) {
	dir := t.TempDir()
	cfg, _ := showArchive(t, 1)
	for _, args := range [][]string{
		{"export", "--config", cfg, "--format", "atom", "--fields", "id"},
		{"export", "--config", cfg, "--format", "warc", "--fields", "id"},
		{"watch", "--config", cfg, "--listen", "bogus"},
		{"crawl", "--config", dir},
		{"stats", "--config", dir},
	} {
		var out, errOut bytes.Buffer
		err := runParc(context.Background(), args, strings.NewReader(""), &out, &errOut)
		if code := exitCode(err); code != exitUsage {
			t.Errorf("parc %s: exit %d (%v), want %d", strings.Join(args, " "), code, err, exitUsage)
		}
	}
}
