package main

import (
	"bufio"
	"bytes"
	"errors"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/parc-archiver/parc/sim"
)

// An interrupted crawl commits what it has, prints its summary and exits
// 128 + the signal (130 for SIGINT, 143 for SIGTERM); the archive then
// verifies. watch exits 0 on either.
func TestInterruptedCommandsExitWithTheSignal(t *testing.T) {
	if testing.Short() {
		t.Skip("runs real crawls as child processes; skipped with -short")
	}
	for _, tc := range []struct {
		cmd  string
		sig  syscall.Signal
		want int
	}{
		{"crawl", syscall.SIGINT, 130},
		{"crawl", syscall.SIGTERM, 143},
		{"watch", syscall.SIGINT, 0},
		{"watch", syscall.SIGTERM, 0},
	} {
		t.Run(tc.cmd+"/"+tc.sig.String(), func(t *testing.T) {
			sp := sim.New(sim.Options{Articles: 400, Seed: 5, PageSize: 8})
			g := &gate{h: sp}
			srv := httptest.NewServer(g)
			t.Cleanup(srv.Close)
			dir := t.TempDir()
			cfgPath, db := filepath.Join(dir, "config.yaml"), filepath.Join(dir, "parc.db")
			if err := os.WriteFile(cfgPath, []byte(sp.Config(srv.URL)), 0o644); err != nil {
				t.Fatal(err)
			}
			args := []string{"-test.run=^TestKillHelperProcess$", "--", tc.cmd, "--config", cfgPath, "--archive", db}
			if tc.cmd == "watch" {
				args = append(args, "--listen", "127.0.0.1:0")
			}
			cmd := exec.Command(os.Args[0], args...)
			cmd.Env = append(os.Environ(), childEnv+"=1")
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			reached := g.after(40)
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			<-reached // mid-crawl: 40 requests of about 460
			if err := cmd.Process.Signal(tc.sig); err != nil {
				t.Fatal(err)
			}
			err := cmd.Wait()
			code := 0
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != tc.want {
				t.Fatalf("exit %d, want %d:\n%s", code, tc.want, stderr.String())
			}
			if tc.cmd == "crawl" && !strings.Contains(stderr.String(), "crawl: ") {
				t.Errorf("no summary on stderr:\n%s", stderr.String())
			}
			if tc.cmd == "crawl" && !strings.Contains(stderr.String(), "interrupted by "+map[syscall.Signal]string{syscall.SIGINT: "SIGINT", syscall.SIGTERM: "SIGTERM"}[tc.sig]) {
				t.Errorf("stderr does not say the crawl was interrupted:\n%s", stderr.String())
			}
			t.Logf("%s", stderr.String())
			if _, verr, vcode := parc(t, "verify", "--config", cfgPath, "--archive", db); vcode != 0 {
				t.Errorf("verify after the interrupt: exit %d\n%s", vcode, verr)
			}
		})
	}
}

// parc serve, a service as watch is, exits 0 on SIGINT and SIGTERM.
func TestServeStopsOnSignal(t *testing.T) {
	if testing.Short() {
		t.Skip("runs parc serve as a child process; skipped with -short")
	}
	p := newPortal(t, sim.Options{Articles: 3, Seed: 2}, nil)
	p.crawl(t)
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestKillHelperProcess$", "--", "serve", "--config", p.config, "--archive", p.db, "--listen", "127.0.0.1:0")
		cmd.Env = append(os.Environ(), childEnv+"=1")
		stderr, err := cmd.StderrPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(stderr)
		var log strings.Builder
		for sc.Scan() && !strings.Contains(sc.Text(), " at http://") { // serving
			log.WriteString(sc.Text() + "\n")
		}
		if err := cmd.Process.Signal(sig); err != nil {
			t.Fatal(err)
		}
		for sc.Scan() {
			log.WriteString(sc.Text() + "\n")
		}
		if err := cmd.Wait(); err != nil {
			t.Errorf("%s: %v\n%s", sig, err, log.String())
		}
	}
}
