package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/parc-archiver/parc/internal/testtool"
	"github.com/parc-archiver/parc/sim"
)

// A first crawl that fills the disk stops fetching, keeps what it
// committed and exits 1 saying why; once space is back, the next plain
// crawl stores every article the stopped run did not, and the archive
// verifies. Here the archive reaches the process's file size limit
// (RLIMIT_FSIZE: EFBIG, of the class of ENOSPC).
func TestCrawlAfterFileSizeLimitStoresWhatWasLost(t *testing.T) {
	if testing.Short() {
		t.Skip("runs child crawls; skipped with -short")
	}
	dir := t.TempDir()
	diskFull(t, dir, dir, func(p *portal, limit int64) (int, string) { return childCrawl(t, p, limit) }, func() {})
}

// The same on a file system that is full (ENOSPC): a small tmpfs, grown
// once the crawl stopped.
func TestCrawlAfterFullFileSystemStoresWhatWasLost(t *testing.T) {
	if testing.Short() {
		t.Skip("fills a file system; skipped with -short")
	}
	scratch := t.TempDir()
	dir, resize, ok := testtool.TmpFS(t, 64<<20)
	if !ok {
		return
	}
	diskFull(t, scratch, dir, func(p *portal, limit int64) (int, string) {
		resize(limit)
		var out, errb bytes.Buffer
		err := runParc(context.Background(), []string{"crawl", "--config", p.config, "--archive", p.db}, strings.NewReader(""), &out, &errb)
		if err != nil {
			errb.WriteString("parc: " + err.Error() + "\n")
		}
		return exitCode(err), errb.String()
	}, func() { resize(64 << 20) })
}

// diskFull runs the scenario: fill crawls into an archive in dir that may
// hold limit bytes, restore gives space back.
func diskFull(t *testing.T, scratchDir, dir string, fill func(p *portal, limit int64) (int, string), restore func()) {
	sp := sim.New(sim.Options{Articles: 240, Seed: 5, PageSize: 8})
	srv := httptest.NewServer(sp)
	t.Cleanup(srv.Close)
	cfgPath := filepath.Join(scratchDir, "config.yaml")
	if err := os.WriteFile(cfgPath, []byte(sp.Config(srv.URL)), 0o644); err != nil {
		t.Fatal(err)
	}
	// The archive's data end (bbolt grows the file ahead in 16 MB steps;
	// the limit is set inside the data a whole crawl needs), measured on a
	// scratch archive, then on the real one after a first page.
	scratch := &portal{sim: sp, srv: srv, config: cfgPath, db: filepath.Join(scratchDir, "scratch.db")}
	scratch.crawl(t)
	p := &portal{sim: sp, srv: srv, config: cfgPath, db: filepath.Join(dir, "parc.db")}
	p.crawl(t, "--max-pages", "1")
	before, full := dataEnd(t, p.db), dataEnd(t, scratch.db)
	code, stderr := fill(p, before+(full-before)/2)
	if code != 1 || !strings.Contains(stderr, "cannot store") || !strings.Contains(stderr, "stopped fetching") {
		t.Fatalf("crawl on a full disk: exit %d, want 1 saying it stopped fetching:\n%s", code, stderr)
	}
	stored := len(p.records(t))
	if stored == 0 || stored >= len(sp.Truth()) {
		t.Fatalf("the full disk stored %d of %d articles: the limit missed the crawl", stored, len(sp.Truth()))
	}
	restore()
	p.crawl(t)
	if got, want := len(p.records(t)), len(sp.Truth()); got != want {
		t.Errorf("after space came back: %d records for %d articles (%d stored before)", got, want, stored)
	}
	if _, stderr, code := parc(t, "verify", "--config", cfgPath, "--archive", p.db); code != 0 {
		t.Errorf("verify exit %d:\n%s", code, stderr)
	}
}

// dataEnd is where the data of the archive at path ends (bbolt's high
// water mark).
func dataEnd(t *testing.T, path string) int64 {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int64
	if err := db.View(func(tx *bolt.Tx) error { n = tx.Size(); return nil }); err != nil {
		t.Fatal(err)
	}
	return n
}

// childCrawl runs parc crawl as a child process whose files may grow to
// fsize bytes; it returns the exit code and standard error.
func childCrawl(t *testing.T, p *portal, fsize int64) (int, string) {
	t.Helper()
	return runChild(t, time.Hour, []string{fsizeEnv + "=" + strconv.FormatInt(fsize, 10)}, "crawl", "--config", p.config, "--archive", p.db)
}

// runChild runs parc with args as a child process (TestKillHelperProcess)
// with env added, killed after timeout; it returns the exit code (-1 when
// killed by a signal or the timeout) and standard error.
func runChild(t *testing.T, timeout time.Duration, env []string, args ...string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	c := exec.CommandContext(ctx, os.Args[0], append([]string{"-test.run=^TestKillHelperProcess$", "--"}, args...)...)
	c.Env = append(append(os.Environ(), childEnv+"=1"), env...)
	var stderr bytes.Buffer
	c.Stderr, c.Stdout = &stderr, &bytes.Buffer{}
	err := c.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) && ctx.Err() == nil {
		t.Fatal(err)
	}
	if ctx.Err() != nil {
		return -1, fmt.Sprintf("hung for %v\n%s", timeout, stderr.String())
	}
	return c.ProcessState.ExitCode(), stderr.String()
}

// parc works under a 4 GB address-space limit (ulimit -v, docs/OPERATIONS.md):
// bbolt's map of the archive and Go's reservations fit in it. A crawl, an
// export and verify run as child processes under the limit.
func TestUnderFourGBAddressSpace(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("child processes under an address-space limit; not with -short or -race")
	}
	p := newPortal(t, sim.Options{Articles: 60, Seed: 3, PageSize: 10}, nil)
	for _, cmd := range [][]string{{"crawl"}, {"export", "--format", "jsonl", "--out", filepath.Join(t.TempDir(), "x.jsonl")}, {"verify"}} {
		args := append([]string{cmd[0], "--config", p.config, "--archive", p.db}, cmd[1:]...)
		if code, stderr := runChild(t, time.Hour, []string{asEnv + "=" + strconv.FormatInt(4<<30, 10)}, args...); code != 0 {
			t.Errorf("parc %s under ulimit -v 4G: exit %d\n%s", cmd[0], code, stderr)
		}
	}
	if got, want := len(p.records(t)), len(p.sim.Truth()); got != want {
		t.Errorf("%d records for %d articles", got, want)
	}
}
