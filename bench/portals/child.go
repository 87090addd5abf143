package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// child is what one measured child process cost.
type child struct {
	wall     time.Duration
	cpu      time.Duration // user + system
	maxRSSMB float64
	// heapPeakMB and heapLiveMB come from GODEBUG=gctrace=1: the largest
	// heap at a GC's start or end, and the largest live heap after a GC
	// (0 when no GC ran).
	heapPeakMB, heapLiveMB float64
	gcs                    int
	stderr                 string
}

var gcLine = regexp.MustCompile(`(\d+)->(\d+)->(\d+) MB`)

// runChild runs name with args in dir under GNU time (for the peak RSS:
// Go starts children with vfork semantics, and Linux carries the parent's
// RSS high-water mark into the child's rusage across exec, so
// ProcessState's Maxrss would report this process's size) with
// GODEBUG=gctrace=1 (for the heap), and takes the CPU from rusage.
func runChild(dir, name string, args ...string) (child, error) {
	rssFile, err := os.CreateTemp(dir, "rss-*")
	if err != nil {
		return child{}, err
	}
	rssFile.Close()
	defer os.Remove(rssFile.Name())
	cmd := exec.Command("/usr/bin/time", append([]string{"-o", rssFile.Name(), "-f", "%M", name}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GODEBUG=gctrace=1")
	var errb strings.Builder
	cmd.Stderr = &errb
	cmd.Stdout = io.Discard
	start := time.Now()
	err = cmd.Run()
	c := child{wall: time.Since(start), stderr: errb.String()}
	if cmd.ProcessState != nil {
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			c.cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		}
	}
	if b, rerr := os.ReadFile(rssFile.Name()); rerr == nil {
		// GNU time writes "Command exited with non-zero status N" first
		// when the child failed; the figure is the last line.
		lines := strings.Fields(string(b))
		if len(lines) > 0 {
			kb, _ := strconv.ParseFloat(lines[len(lines)-1], 64)
			c.maxRSSMB = kb / 1024
		}
	}
	for _, m := range gcLine.FindAllStringSubmatch(c.stderr, -1) {
		a, _ := strconv.ParseFloat(m[1], 64)
		b, _ := strconv.ParseFloat(m[2], 64)
		l, _ := strconv.ParseFloat(m[3], 64)
		c.heapPeakMB = max(c.heapPeakMB, a, b)
		c.heapLiveMB = max(c.heapLiveMB, l)
		c.gcs++
	}
	if err != nil {
		return c, fmt.Errorf("%s %s: %w\n%s", name, strings.Join(args, " "), err, tail(withoutGC(c.stderr), 3000))
	}
	return c, nil
}

// withoutGC is a child's standard error without the gctrace lines.
func withoutGC(s string) string {
	var b strings.Builder
	for _, l := range strings.SplitAfter(s, "\n") {
		if !strings.HasPrefix(l, "gc ") {
			b.WriteString(l)
		}
	}
	return b.String()
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}
