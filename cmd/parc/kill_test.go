package main

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/parc-archiver/parc/sim"
)

// childEnv makes the test binary act as parc (TestKillHelperProcess).
const childEnv = "PARC_TEST_CHILD"

// TestKillHelperProcess is not a test: run as a child process with
// childEnv set, it is parc, with the arguments after "--".
func TestKillHelperProcess(t *testing.T) {
	if os.Getenv(childEnv) != "1" {
		t.Skip("helper process for TestCrawlSurvivesSIGKILL")
	}
	args := os.Args
	for i, a := range args {
		if a == "--" {
			args = args[i+1:]
			break
		}
	}
	for env, res := range map[string]int{fsizeEnv: syscall.RLIMIT_FSIZE, asEnv: syscall.RLIMIT_AS} {
		if v := os.Getenv(env); v != "" {
			n, err := strconv.ParseUint(v, 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			if err := syscall.Setrlimit(res, &syscall.Rlimit{Cur: n, Max: n}); err != nil {
				t.Fatal(err)
			}
		}
	}
	os.Exit(runMain(args, os.Stdin, os.Stdout, os.Stderr))
}

// fsizeEnv, set for the helper process, limits the size of the files it
// writes (RLIMIT_FSIZE, in bytes): a full disk without privileges.
const fsizeEnv = "PARC_TEST_FSIZE"

// asEnv, set for the helper process, limits its address space
// (RLIMIT_AS, in bytes: ulimit -v).
const asEnv = "PARC_TEST_AS"

// gate counts the requests the portal answered and signals when a
// target count is reached: the kill test's observable clock.
type gate struct {
	h  http.Handler
	n  atomic.Int64
	mu sync.Mutex
	at int64
	ch chan struct{}
}

func (g *gate) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := g.n.Add(1)
	g.mu.Lock()
	if g.ch != nil && n >= g.at {
		close(g.ch)
		g.ch = nil
	}
	g.mu.Unlock()
	g.h.ServeHTTP(w, r)
}

// after returns a channel closed once k more requests arrived.
func (g *gate) after(k int64) <-chan struct{} {
	g.mu.Lock()
	defer g.mu.Unlock()
	ch := make(chan struct{})
	g.at, g.ch = g.n.Load()+k, ch
	return ch
}

// A real parc crawl, as a child process, is killed with SIGKILL at random
// moments of a first crawl and of an incremental one (after new articles
// pushed older ones deep into pagination), restarted each time; the final
// plain crawl must leave the archive equal to the portal's truth, with no
// loss and no duplicate, and parc verify must pass.
func TestCrawlSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("kills real crawls; skipped with -short")
	}
	rng := seededRand(t, "PARC_KILL_SEED", 0x9a11)

	sp := sim.New(sim.Options{Articles: 300, Seed: 21, PageSize: 8})
	g := &gate{h: sp}
	srv := httptest.NewServer(g)
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	cfgPath, db := filepath.Join(dir, "config.yaml"), filepath.Join(dir, "parc.db")
	if err := os.WriteFile(cfgPath, []byte(sp.Config(srv.URL)), 0o644); err != nil {
		t.Fatal(err)
	}
	p := &portal{sim: sp, srv: srv, config: cfgPath, db: db}

	kills, lives := 0, 0
	// crawl starts a child crawl and kills it after k more requests
	// (k <= 0: let it finish). It reports whether it was killed.
	crawl := func(k int64) bool {
		t.Helper()
		lives++
		cmd := exec.Command(os.Args[0], "-test.run=^TestKillHelperProcess$", "--", "crawl", "--config", cfgPath, "--archive", db)
		cmd.Env = append(os.Environ(), childEnv+"=1")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		var reached <-chan struct{}
		if k > 0 {
			reached = g.after(k)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-reached:
			if err := cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
				t.Fatal(err)
			}
			err := <-done
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
				// It finished just before the kill landed: a normal end.
				if err != nil {
					t.Fatalf("crawl %d: %v\n%s", lives, err, stderr.String())
				}
				return false
			}
			kills++
			return true
		case err := <-done:
			if err != nil {
				t.Fatalf("crawl %d exited: %v\n%s", lives, err, stderr.String())
			}
			t.Logf("crawl %d finished: %s", lives, strings.TrimSpace(stderr.String()))
			return false
		}
	}
	// stored counts the records after a kill: what a killed crawl had
	// committed must still be there after the next kill (nothing reported
	// stored is lost), so the count never goes down.
	stored, atKill := 0, []int{}
	checkStored := func() {
		t.Helper()
		n := len(p.records(t))
		if n < stored {
			t.Errorf("after kill %d: %d records, %d before", kills, n, stored)
		}
		stored = n
		atKill = append(atKill, n)
	}
	// phase kills crawls, each after a random 1..maxK requests, until
	// `until` kills in all or a crawl completes, then runs one to
	// completion. maxK spans most of a crawl, so kills land before, during
	// and after the archive's batched commits.
	phase := func(until int, maxK int64) {
		for kills < until && crawl(1+rng.Int64N(maxK)) {
			checkStored()
		}
		crawl(0)
	}

	start := time.Now()
	phase(6, 250)
	if got, want := len(p.records(t)), len(sp.Truth()); got != want {
		t.Errorf("after the first crawl: %d records for %d articles", got, want)
	}
	// New articles, more than a listing page holds in each category, push
	// older ones down the listings: the incremental crawls that must follow
	// pagination to find them all are killed too.
	for round := 0; kills < 12 && round < 6; round++ {
		sp.Publish(150)
		phase(12, 180)
	}
	elapsed := time.Since(start)

	recs := p.records(t)
	truth := sp.Truth()
	if len(recs) != len(truth) {
		t.Errorf("%d records for %d articles", len(recs), len(truth))
	}
	checked, wrong := compare(t, p, recs)
	for field, n := range wrong {
		t.Errorf("%s wrong in %d of %d articles", field, n, checked)
	}
	byURL := map[string]string{}
	for _, r := range recs {
		for _, u := range append([]string{r.URL}, r.URLs...) {
			if other, ok := byURL[u]; ok && other != r.ID {
				t.Errorf("URL %s in records %s and %s", u, other, r.ID)
			}
			byURL[u] = r.ID
		}
	}
	if _, stderr, code := parc(t, "verify", "--config", cfgPath, "--archive", db); code != 0 {
		t.Errorf("verify exit %d:\n%s", code, stderr)
	}
	t.Logf("%d kills in %d crawls, %d requests, %v; records at each kill: %v", kills, lives, g.n.Load(), elapsed.Round(time.Millisecond), atKill)
	if kills < 8 {
		t.Errorf("only %d kills: the crawls finished before their kill points", kills)
	}
}

// seededRand returns a generator seeded from the environment variable
// env, or from the clock, and logs the seed so that env reproduces it.
func seededRand(t *testing.T, env string, stream uint64) *rand.Rand {
	t.Helper()
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv(env); s != "" {
		seed, _ = strconv.ParseUint(s, 10, 64)
	}
	t.Logf("seed %d (%s=%d reproduces this run)", seed, env, seed)
	return rand.New(rand.NewPCG(seed, stream))
}
