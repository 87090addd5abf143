// Command parc archives a news portal: it crawls it, extracts each article,
// keeps every revision in a bbolt archive and exports it. Run "parc help".
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/parc-archiver/parc/archive"
	"github.com/parc-archiver/parc/internal/buildinfo"
	"github.com/parc-archiver/parc/internal/config"
	"github.com/parc-archiver/parc/internal/gctune"
	"github.com/parc-archiver/parc/internal/termline"
	"github.com/parc-archiver/parc/run"
)

// heapBudget is the Go heap the commands that fetch or parse pages let
// grow between garbage collections (internal/gctune).
const heapBudget = 48 << 20

// tunesGC reports whether a command parses pages by the thousand, so that
// collecting against heapBudget saves it CPU. The others (export, show, …)
// keep a few MB of live heap and Go's default, which keeps their heap at
// that size.
func tunesGC(args []string) bool {
	if len(args) == 0 {
		return false
	}
	switch args[0] {
	case "crawl", "watch", "reextract", "demo":
		return true
	}
	return false
}

func main() {
	// GOGC or GOMEMLIMIT in the environment is the user's choice of
	// collector settings: leave them alone then.
	var tuner *gctune.Tuner
	if tunesGC(os.Args[1:]) && os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == "" {
		tuner = gctune.Start(heapBudget)
	}
	code := runMain(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	if tuner != nil {
		tuner.Stop()
	}
	os.Exit(code)
}

// runMain runs parc as a process and returns its exit code. SIGINT and
// SIGTERM cancel the command's context, so it commits what it has and
// returns; the exit code is then 128 + the signal's number (130, 143), as
// shells report an interrupted program, except for watch and serve, which
// a signal stops as they are meant to be stopped (0). A second signal kills at once.
func runMain(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if logFormatOf(args[min(1, len(args)):]) == logJSON {
		jl := &jsonLines{w: stderr, now: time.Now}
		defer jl.Flush()
		stderr = jl
	}
	stderr = termline.New(stderr) // log lines above a crawl's status line
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	caught := make(chan os.Signal, 1)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-sigs:
			signal.Stop(sigs) // the next one takes the default action
			caught <- sig
			cancel()
		case <-done:
		}
	}()
	err := runParc(ctx, args, stdin, stdout, stderr)
	close(done)
	signal.Stop(sigs)
	var sig os.Signal
	select {
	case sig = <-caught:
	default:
	}
	return reportExit(stderr, args, err, sig)
}

// reportExit prints err (if any) and returns the exit code of a command
// that ended with err after sig (nil: none) was received.
func reportExit(stderr io.Writer, args []string, err error, sig os.Signal) int {
	code := exitCode(err)
	interrupted := sig != nil && errors.Is(err, context.Canceled)
	switch {
	case err == nil, errors.Is(err, errHelp):
	case interrupted:
		fmt.Fprintf(stderr, "parc: interrupted by %s\n", signalName(sig))
	default:
		fmt.Fprintln(stderr, "parc:", err)
	}
	if sig != nil && (len(args) == 0 || (args[0] != "watch" && args[0] != "serve")) {
		if n, ok := sig.(syscall.Signal); ok && (err == nil || interrupted) {
			code = 128 + int(n)
		}
	}
	return code
}

func signalName(sig os.Signal) string {
	switch sig {
	case os.Interrupt:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	}
	return sig.String()
}

// Exit codes (docs/CONTRACT.md).
const (
	exitOK     = 0
	exitFailed = 1
	exitUsage  = 2
	exitLocked = 3
)

var errHelp = errors.New("help requested")

// usageError is bad usage: exit 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

func exitCode(err error) int {
	var ue *usageError
	var ce *config.Error
	var amb *archive.AmbiguousIDError
	switch {
	case err == nil, errors.Is(err, errHelp):
		return exitOK
	case errors.As(err, &ue), errors.As(err, &ce), errors.As(err, &amb):
		return exitUsage
	case errors.Is(err, archive.ErrLocked):
		return exitLocked
	}
	return exitFailed
}

// runParc is parc without the process: every command is testable in-process.
func runParc(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		usage(stderr)
		return usagef("no command given")
	}
	cmd, rest := args[0], args[1:]
	env := &env{stdin: stdin, stdout: stdout, stderr: stderr}
	switch cmd {
	case "help", "-h", "--help":
		if len(rest) > 0 {
			return runParc(ctx, []string{rest[0], "--help"}, stdin, stdout, stderr)
		}
		usage(stdout)
		return nil
	case "version", "--version":
		fmt.Fprintln(stdout, buildinfo.Read(config.Version))
		return nil
	}
	c, ok := commandTable()[cmd]
	if !ok {
		usage(stderr)
		return usagef("unknown command %q", cmd)
	}
	return c.run(ctx, env, rest)
}

type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	// clock is the time source of parc watch's schedule; tests may
	// replace it (nil: the real clock).
	clock run.Clock
}

type command struct {
	summary string
	run     func(ctx context.Context, e *env, args []string) error
}

func commandTable() map[string]command {
	return map[string]command{
		"crawl":      {"one incremental crawl of the portal, then exit", cmdCrawl},
		"watch":      {"crawl every --every and serve /feed.atom, /metrics, /healthz", cmdWatch},
		"serve":      {"serve the archive's pages: search, articles, revisions side by side, captures", cmdServe},
		"export":     {"export the archive as json, jsonl, csv, atom or warc", cmdExport},
		"extract":    {"print what parc would archive from one saved page", cmdExtract},
		"show":       {"one article with its URLs and revision history", cmdShow},
		"stats":      {"counts, last runs, failures, archive size", cmdStats},
		"reextract":  {"re-run extraction over stored raw pages, without fetching", cmdReextract},
		"learn":      {"propose the portal's selectors from its archived article pages", cmdLearn},
		"portal":     {"portal add URL: infer a new portal's entry from its pages into portals.d/", cmdPortal},
		"verify":     {"integrity check of the archive", cmdVerify},
		"backup":     {"write a consistent copy of the archive, even while a crawl runs", cmdBackup},
		"compact":    {"rewrite the archive file without its free pages", cmdCompact},
		"redact":     {"remove an article's text and captures, keeping a tombstone", cmdRedact},
		"demo":       {"crawl the built-in simulated portal into a temporary archive", cmdDemo},
		"sim":        {"serve the simulated portal", cmdSim},
		"completion": {"print a bash, zsh or fish completion script", cmdCompletion},
	}
}

func usage(w io.Writer) {
	fmt.Fprint(w, `parc archives a news portal: crawl, extract, keep every revision, export.

Usage: parc COMMAND [flags]

Commands:
`)
	commands := commandTable()
	for _, name := range []string{"crawl", "watch", "serve", "export", "extract", "show", "stats", "reextract", "learn", "portal", "verify", "backup", "compact", "redact", "demo", "sim", "completion"} {
		fmt.Fprintf(w, "  %-10s %s\n", name, commands[name].summary)
	}
	fmt.Fprint(w, `
Every command takes --config FILE (default ./config.yaml) and --archive PATH
(overrides archive.path). "parc COMMAND --help" describes its flags.
Exit codes: 0 success, 1 the run failed, 2 bad usage or config,
3 the archive is in use by another parc process, 130 interrupted (SIGINT),
143 stopped (SIGTERM); watch exits 0 on either signal.
`)
}
