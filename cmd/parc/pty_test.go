package main

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/creack/pty"

	"github.com/parc-archiver/parc/sim"
)

// On a pseudo-terminal, a crawl redraws its status line (pages, rate,
// queue, failures, outcomes, elapsed) and prints log lines above it: every
// log record starts a line of its own, never glued onto the status line.
func TestProgressOnATerminal(t *testing.T) {
	if testing.Short() {
		t.Skip("a crawl of a few seconds on a pseudo-terminal; skipped with -short")
	}
	// Without article_url the crawl warns; the delay makes it last seconds.
	p := newPortal(t, sim.Options{Articles: 12, Seed: 4, PageSize: 4}, func(cfg string) string {
		cfg = regexp.MustCompile(`(?m)^  article_url: .*\n`).ReplaceAllString(cfg, "")
		return regexp.MustCompile(`(?m)^  delay: .*$`).ReplaceAllString(cfg, "  delay: 150ms")
	})
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	defer ptmx.Close()
	cmd := exec.Command(os.Args[0], "-test.run=^TestKillHelperProcess$", "--", "crawl", "--config", p.config, "--archive", p.db)
	cmd.Env = append(os.Environ(), childEnv+"=1", "TERM=xterm")
	cmd.Stderr, cmd.Stdout = tty, io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	tty.Close()
	var out bytes.Buffer
	done := make(chan struct{})
	go func() { _, _ = io.Copy(&out, ptmx); close(done) }() // ends with EIO once the child exits
	if err := cmd.Wait(); err != nil {
		t.Fatalf("crawl: %v\n%s", err, out.String())
	}
	<-done
	s := out.String()
	if !regexp.MustCompile(`\r\x1b\[Kcrawl: \d+ pages fetched \(\d+\.\d/s\), \d+ queued, 0 failed, 0 new, 0 updated, \ds elapsed`).MatchString(s) {
		t.Errorf("no status line redrawn:\n%q", s)
	}
	for _, line := range strings.Split(strings.ReplaceAll(s, "\r\x1b[K", "\n"), "\n") {
		if i := strings.Index(line, "level="); i > 0 && !strings.HasPrefix(line, "time=") {
			t.Errorf("a log record glued onto other output: %q", line)
		}
	}
	if !strings.Contains(s, "level=WARN") {
		t.Errorf("no warning printed:\n%q", s)
	}
}
