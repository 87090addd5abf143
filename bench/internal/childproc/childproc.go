// Package childproc runs a benchmark's child process and measures what it
// cost: wall time, CPU, peak RSS and, for Go children, the heap as the
// garbage collector saw it.
package childproc

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

// Cost is what one measured child process cost.
type Cost struct {
	Wall     time.Duration
	CPU      time.Duration // user + system
	MaxRSSMB float64
	// HeapPeakMB and HeapLiveMB come from GODEBUG=gctrace=1: the largest
	// heap at a GC's start or end, and the largest live heap after a GC
	// (0 for non-Go children, without GCTrace, or when no GC ran).
	HeapPeakMB, HeapLiveMB float64
	GCs                    int
	Stderr                 string
}

// Options say how to run the child.
type Options struct {
	Dir     string // working directory; also where GNU time writes its figure
	GCTrace bool   // set GODEBUG=gctrace=1 (Go children)
}

var gcLine = regexp.MustCompile(`(\d+)->(\d+)->(\d+) MB`)

// Run runs name with args and measures it: CPU from rusage, the peak RSS
// from GNU time (/usr/bin/time -f %M), which runs the child. Go starts
// children with vfork semantics, and Linux carries the parent's RSS
// high-water mark into the child's rusage across exec, so ProcessState's
// Maxrss would report this process's size.
func Run(o Options, name string, args ...string) (Cost, error) {
	rssFile, err := os.CreateTemp(o.Dir, "rss-*")
	if err != nil {
		return Cost{}, err
	}
	rssFile.Close()
	defer os.Remove(rssFile.Name())
	cmd := exec.Command("/usr/bin/time", append([]string{"-o", rssFile.Name(), "-f", "%M", name}, args...)...)
	cmd.Dir = o.Dir
	cmd.Env = os.Environ()
	if o.GCTrace {
		cmd.Env = append(cmd.Env, "GODEBUG=gctrace=1")
	}
	var errb strings.Builder
	cmd.Stderr = &errb
	cmd.Stdout = io.Discard
	start := time.Now()
	err = cmd.Run()
	c := Cost{Wall: time.Since(start), Stderr: errb.String()}
	if cmd.ProcessState != nil {
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			c.CPU = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		}
	}
	c.MaxRSSMB = readRSSMB(rssFile.Name())
	c.readGCTrace()
	if err != nil {
		return c, fmt.Errorf("%s %s: %w\n%s", name, strings.Join(args, " "), err, Tail(WithoutGC(c.Stderr), 3000))
	}
	return c, nil
}

// readRSSMB reads GNU time's figure (KiB) as MB. GNU time writes "Command
// exited with non-zero status N" first when the child failed; the figure
// is the last field.
func readRSSMB(path string) float64 {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	fields := strings.Fields(string(b))
	if len(fields) == 0 {
		return 0
	}
	kb, _ := strconv.ParseFloat(fields[len(fields)-1], 64)
	return kb / 1024
}

func (c *Cost) readGCTrace() {
	for _, m := range gcLine.FindAllStringSubmatch(c.Stderr, -1) {
		a, _ := strconv.ParseFloat(m[1], 64)
		b, _ := strconv.ParseFloat(m[2], 64)
		l, _ := strconv.ParseFloat(m[3], 64)
		c.HeapPeakMB = max(c.HeapPeakMB, a, b)
		c.HeapLiveMB = max(c.HeapLiveMB, l)
		c.GCs++
	}
}

// WithoutGC is a child's standard error without the gctrace lines.
func WithoutGC(s string) string {
	var b strings.Builder
	for _, l := range strings.SplitAfter(s, "\n") {
		if !strings.HasPrefix(l, "gc ") {
			b.WriteString(l)
		}
	}
	return b.String()
}

// Tail is the last n bytes of s, marked as cut when it was.
func Tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}
