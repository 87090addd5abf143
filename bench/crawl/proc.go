package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/parc-archiver/parc/sim"
)

// The simulated portal runs in a child process (this program re-executed
// with -serve), so that the CPU and memory of the measured clients (the
// fetch loop in this process, parc, wget) never include the server's.

// serve is the child: it serves a sim.Portal on loopback, writes a parc
// config for it, prints "READY <base URL>" and serves until SIGINT/SIGTERM.
// /__bench/stats answers sim.Stats and /__bench/urls the article paths
// (one per line); neither reaches the portal or its counters.
func serve(articles int, seed int64, parallelism int, configPath string) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	p := sim.New(sim.Options{Articles: articles, Seed: seed})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	base := "http://" + ln.Addr().String()
	cfg := p.Config(base)
	// The sim's config already has delay 0s and keep_raw true; the bench
	// sets the parallelism.
	for _, want := range []string{"parallelism: 4", "delay: 0s", "keep_raw: true"} {
		if !strings.Contains(cfg, want) {
			return fmt.Errorf("sim config lacks %q: the bench needs updating", want)
		}
	}
	cfg = strings.Replace(cfg, "parallelism: 4", "parallelism: "+strconv.Itoa(parallelism), 1)
	if err := os.WriteFile(configPath, []byte(cfg), 0o644); err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/__bench/stats", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(p.Requests())
	})
	mux.HandleFunc("/__bench/urls", func(w http.ResponseWriter, r *http.Request) {
		bw := bufio.NewWriter(w)
		for _, a := range p.Truth() {
			bw.WriteString(a.URL + "\n")
		}
		bw.Flush()
	})
	cov := newCoverage(p)
	mux.HandleFunc("/__bench/coverage", cov.report)
	mux.Handle("/", cov.wrap(p))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	fmt.Printf("READY %s\n", base)
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// coverage counts the portal's articles served (answered 200) at least
// once since the last report: a peer that stops early (a depth limit)
// has not covered the portal, whatever its speed. Letter-case variants of
// a path and query strings (tracking parameters, print views) count as
// the same article.
type coverage struct {
	mu      sync.Mutex
	article map[string]bool // lower-cased article path -> served
	served  int
}

func newCoverage(p *sim.Portal) *coverage {
	c := &coverage{article: map[string]bool{}}
	for _, a := range p.Truth() {
		c.article[strings.ToLower(a.URL)] = false
	}
	return c
}

// statusWriter remembers the status a handler answered.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (c *coverage) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(sw, r)
		if sw.status != http.StatusOK {
			return
		}
		key := strings.ToLower(r.URL.Path)
		c.mu.Lock()
		if seen, ok := c.article[key]; ok && !seen {
			c.article[key] = true
			c.served++
		}
		c.mu.Unlock()
	})
}

// report writes how many articles were served and starts counting again.
func (c *coverage) report(w http.ResponseWriter, _ *http.Request) {
	c.mu.Lock()
	defer c.mu.Unlock()
	fmt.Fprintln(w, c.served)
	for k := range c.article {
		c.article[k] = false
	}
	c.served = 0
}

// simProc is a running sim child.
type simProc struct {
	cmd    *exec.Cmd
	base   string
	config string
}

func startSim(self string, articles, parallelism int, config string) (*simProc, error) {
	cmd := exec.Command(self, "-serve", "-articles", strconv.Itoa(articles), "-parallelism", strconv.Itoa(parallelism), "-config", config)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start sim: %w", err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	base, ok := strings.CutPrefix(strings.TrimSpace(line), "READY ")
	if err != nil || !ok {
		cmd.Process.Kill()
		cmd.Wait()
		return nil, fmt.Errorf("sim did not start: %q %v", line, err)
	}
	return &simProc{cmd: cmd, base: base, config: config}, nil
}

func (s *simProc) stop() {
	s.cmd.Process.Signal(os.Interrupt)
	s.cmd.Wait()
}

func (s *simProc) stats() (sim.Stats, error) {
	var st sim.Stats
	resp, err := http.Get(s.base + "/__bench/stats")
	if err != nil {
		return st, err
	}
	defer resp.Body.Close()
	return st, json.NewDecoder(resp.Body).Decode(&st)
}

// coverage returns how many of the portal's articles were served since
// the last call; the count starts again.
func (s *simProc) coverage() (served int, err error) {
	resp, err := http.Get(s.base + "/__bench/coverage")
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, err = fmt.Fscan(resp.Body, &served)
	return served, err
}

func (s *simProc) articleURLs() ([]string, error) {
	resp, err := http.Get(s.base + "/__bench/urls")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var urls []string
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		urls = append(urls, s.base+sc.Text())
	}
	return urls, sc.Err()
}

// selfCPU is this process's user+system CPU so far.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
