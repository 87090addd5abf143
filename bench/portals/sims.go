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
	"sync/atomic"
	"syscall"
	"time"

	"github.com/parc-archiver/parc/sim"
)

// The simulated portals run in one child process (this program re-executed
// with -serve), each on its own loopback address, so that their CPU is
// never counted in parc's.

// layouts are mixed round-robin: portal i has layouts[i%3] and seed i+1.
var layouts = []struct {
	name   string
	layout sim.Layout
}{
	{"vieportal", sim.LayoutVIEPortal},
	{"vieapps", sim.LayoutVIEApps},
	{"generated", sim.LayoutGenerated},
}

// portalInfo is one simulated portal as the manifest describes it.
type portalInfo struct {
	Index  int // its place in the manifest and in simStats.Portals
	Name   string
	Base   string // http://127.0.X.Y:PORT
	Layout int    // index into layouts
	// Section is the portal's entry: sim.Portal.Config's `portal:`
	// section with its own name, its lines indented by two spaces.
	Section string
}

// manifest is what the sim child writes before it prints READY.
type manifest struct {
	Control string // base URL of the control listener (/stats, /reset)
	// Rest is the config's sections after `portal:` (crawl, archive,
	// notify), the same for every portal.
	Rest    string
	Portals []portalInfo
}

// portalStat is what the control listener reports for one portal since
// the last reset: requests answered and when the first and last began
// (Unix nanoseconds; 0 when none).
type portalStat struct {
	Requests    int64
	First, Last int64
}

// simStats is the control listener's /stats answer.
type simStats struct {
	Portals []portalStat
	CPUms   float64 // the sim process's user+system CPU so far
}

// counter wraps one portal's handler and counts its requests.
type counter struct {
	h                     http.Handler
	requests, first, last atomic.Int64
}

func (c *counter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	now := time.Now().UnixNano()
	c.first.CompareAndSwap(0, now)
	c.last.Store(now)
	c.requests.Add(1)
	c.h.ServeHTTP(w, r)
}

func (c *counter) reset() {
	c.requests.Store(0)
	c.first.Store(0)
	c.last.Store(0)
}

// portalAddr is portal i's listen address: 127.0.X.Y with X from 1, so
// 127.0.0.1 stays the control listener's and every portal its own host.
func portalAddr(i int) string {
	return fmt.Sprintf("127.0.%d.%d:0", 1+i/250, 1+i%250)
}

// serve is the child: it serves n portals of articles articles each,
// writes the manifest to path, prints "READY" and serves until
// SIGINT/SIGTERM.
func serve(n, articles int, path string) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := manifest{}
	var counters []*counter
	var servers []*http.Server
	for i := range n {
		l := i % len(layouts)
		p := sim.New(sim.Options{Articles: articles, Seed: int64(i + 1), Layout: layouts[l].layout})
		ln, err := net.Listen("tcp", portalAddr(i))
		if err != nil {
			return fmt.Errorf("portal %d: listen: %w", i, err)
		}
		base := "http://" + ln.Addr().String()
		name := fmt.Sprintf("p%04d-%s", i, layouts[l].name)
		section, rest, err := splitConfig(p.Config(base), name)
		if err != nil {
			return fmt.Errorf("portal %d: %w", i, err)
		}
		m.Rest = rest
		m.Portals = append(m.Portals, portalInfo{Index: i, Name: name, Base: base, Layout: l, Section: section})
		c := &counter{h: p}
		counters = append(counters, c)
		srv := &http.Server{Handler: c, ReadHeaderTimeout: 10 * time.Second}
		servers = append(servers, srv)
		go srv.Serve(ln)
	}
	ctl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("control: listen: %w", err)
	}
	m.Control = "http://" + ctl.Addr().String()
	csrv := &http.Server{Handler: controlMux(counters), ReadHeaderTimeout: 10 * time.Second}
	servers = append(servers, csrv)
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return err
	}
	go func() {
		<-ctx.Done()
		for _, s := range servers {
			s.Close()
		}
	}()
	fmt.Println("READY")
	if err := csrv.Serve(ctl); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func controlMux(counters []*counter) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/stats", func(w http.ResponseWriter, r *http.Request) {
		st := simStats{CPUms: float64(selfCPU().Microseconds()) / 1000}
		for _, c := range counters {
			st.Portals = append(st.Portals, portalStat{c.requests.Load(), c.first.Load(), c.last.Load()})
		}
		json.NewEncoder(w).Encode(st)
	})
	mux.HandleFunc("/reset", func(w http.ResponseWriter, r *http.Request) {
		for _, c := range counters {
			c.reset()
		}
	})
	return mux
}

// splitConfig cuts sim.Portal.Config's text into the `portal:` section
// (renamed to name, indented for a `portals:` list entry) and the rest.
func splitConfig(cfg, name string) (section, rest string, err error) {
	var sec, other []string
	in := false
	for _, line := range strings.Split(cfg, "\n") {
		switch {
		case line == "portal:":
			in = true
			continue
		case in && !strings.HasPrefix(line, "  "):
			in = false
		}
		if in {
			sec = append(sec, line)
		} else if line != "" && !strings.HasPrefix(line, "#") {
			other = append(other, line)
		}
	}
	if len(sec) == 0 || !strings.HasPrefix(sec[0], "  name: ") {
		return "", "", fmt.Errorf("sim config's portal section does not start with its name: the bench needs updating")
	}
	sec[0] = "  name: " + name
	return strings.Join(sec, "\n") + "\n", strings.Join(other, "\n") + "\n", nil
}

// sims is the running sim child.
type sims struct {
	cmd *exec.Cmd
	manifest
}

func startSims(self string, n, articles int, path string) (*sims, error) {
	cmd := exec.Command(self, "-serve", "-n", strconv.Itoa(n), "-articles", strconv.Itoa(articles), "-manifest", path)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start sims: %w", err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || strings.TrimSpace(line) != "READY" {
		cmd.Process.Kill()
		cmd.Wait()
		return nil, fmt.Errorf("sims did not start: %q %v", line, err)
	}
	s := &sims{cmd: cmd}
	b, err := os.ReadFile(path)
	if err == nil {
		err = json.Unmarshal(b, &s.manifest)
	}
	if err != nil {
		s.stop()
		return nil, fmt.Errorf("sims' manifest: %w", err)
	}
	return s, nil
}

func (s *sims) stop() {
	s.cmd.Process.Signal(os.Interrupt)
	s.cmd.Wait()
}

func (s *sims) reset() error {
	resp, err := http.Get(s.Control + "/reset")
	if err != nil {
		return fmt.Errorf("sims: reset: %w", err)
	}
	resp.Body.Close()
	return nil
}

func (s *sims) stats() (simStats, error) {
	var st simStats
	resp, err := http.Get(s.Control + "/stats")
	if err != nil {
		return st, fmt.Errorf("sims: stats: %w", err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		return st, fmt.Errorf("sims: stats: %w", err)
	}
	return st, nil
}

// selfCPU is this process's user+system CPU so far.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
