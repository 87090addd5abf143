package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"

	"github.com/parc-archiver/parc/archive"
	"github.com/parc-archiver/parc/internal/atomicfile"
	"github.com/parc-archiver/parc/internal/config"
	"github.com/parc-archiver/parc/run"
	"github.com/parc-archiver/parc/serve"
)

func cmdReextract(ctx context.Context, e *env, args []string) error {
	c := newFlags(e, "reextract", `reextract [--dry-run] [--portal NAME]...

Re-runs extraction, with the config's current profile, over the newest raw
capture of each archived article (archive.keep_raw), without fetching. A
new revision is stored only where the title, body or byline changed; it
cites the capture it came from and carries that capture's fetch time.
Safe to interrupt and run again. Records without a stored capture are
counted and left alone. --dry-run writes nothing and prints, as JSON lines
on standard output, each record that would get a revision and its diff.
Without --dry-run it takes the write lock (exit 3 at once when a crawl
holds it); --dry-run only reads, waiting up to --wait for a crawl.`)
	dry := c.fs.Bool("dry-run", false, "print what would change, write nothing")
	c.waitFlag()
	c.portalFlag()
	if err := c.parse(args); err != nil {
		return err
	}
	if len(c.args) != 0 {
		return usagef("reextract takes no arguments, got %q", c.args)
	}
	cfg, err := c.load()
	if err != nil {
		return err
	}
	if _, err := c.selectPortals(cfg); err != nil {
		return err
	}
	var arc *archive.Archive
	if *dry {
		arc, err = c.openRead(cfg)
	} else {
		arc, err = c.openExisting(cfg)
	}
	if err != nil {
		return err
	}
	defer arc.Close()
	rep := &reextractReport{log: c.logger(), out: &lockedWriter{w: e.stdout}, stderr: e.stderr, dry: *dry}
	stop := c.progress("reextract", func() string { return fmt.Sprintf("%d records examined", rep.examined.Load()) })
	st, err := run.Reextract(ctx, cfg, arc, run.ReextractOptions{DryRun: *dry, Portals: c.portals, OnResult: rep.result, OnTemplate: rep.template, Logger: c.logger()})
	stop()
	verb := "revised"
	if *dry {
		verb = "would be revised"
	}
	fmt.Fprintf(e.stderr, "reextract: %d records examined, %d %s, %d unchanged, %d without a stored capture, %d failed\n",
		st.Examined, st.Revised, verb, st.Unchanged, st.NoCapture, st.Failed)
	if st.Skipped > 0 {
		fmt.Fprintf(e.stderr, "reextract: %d records of other portals left alone (not selected, or no longer in the config)\n", st.Skipped)
	}
	if errors.Is(err, context.Canceled) {
		fmt.Fprintln(e.stderr, "reextract: interrupted; what was revised is stored, run it again to finish")
	}
	if err == nil && rep.outErr != nil {
		err = fmt.Errorf("reextract: write output: %w", rep.outErr)
	}
	return err
}

// reextractReport logs each re-extracted record and, for --dry-run,
// prints the would-be revisions.
type reextractReport struct {
	examined atomic.Int64 // for progress
	log      *slog.Logger
	out      *lockedWriter
	stderr   io.Writer
	dry      bool
	outErr   error
}

// template says which template model a portal's records are re-extracted with.
func (r *reextractReport) template(portal string, version int) {
	fmt.Fprintf(r.stderr, "reextract: %s: with template model %d\n", portal, version)
}

func (r *reextractReport) result(res run.ReextractResult) {
	r.examined.Add(1)
	switch {
	case res.Err != nil:
		r.log.Warn("reextract failed", "id", res.ID, "url", res.URL, "err", res.Err)
	case res.Outcome == archive.OutcomeRevised && r.dry:
		line := dryRunLine{ID: res.ID, URL: res.URL, Revision: res.Revision, Capture: res.CaptureID, Diff: res.Diff}
		if err := r.out.jsonLine(line); err != nil && r.outErr == nil {
			r.outErr = err
		}
	case res.Outcome == archive.OutcomeRevised:
		r.log.Debug("revised", "id", res.ID, "url", res.URL, "revision", res.Revision)
	}
}

// dryRunLine is one record that reextract --dry-run would revise.
type dryRunLine struct {
	ID       string        `json:"id"`
	URL      string        `json:"url"`
	Revision int           `json:"revision"`
	Capture  string        `json:"capture_id"`
	Diff     *archive.Diff `json:"diff"`
}

// openExisting opens an archive that must already exist for writing
// (openWrite would create an empty one).
func (c *common) openExisting(cfg *config.Config) (*archive.Archive, error) {
	if _, err := os.Stat(cfg.Archive.Path); err != nil {
		return nil, fmt.Errorf("archive %s: %w", cfg.Archive.Path, err)
	}
	return c.openWrite(cfg)
}

func cmdBackup(ctx context.Context, e *env, args []string) error {
	c := newFlags(e, "backup", `backup [--wait D] PATH

Writes a consistent copy of the archive (one read transaction) to PATH, or
into PATH when it is a directory: to a temporary file beside it, synced,
then renamed, so PATH is never half written. Backup shares the archive
with other readers (export, show, stats) and with a crawl in the same
process, but the operating system's lock keeps it from a crawl in another
process: it waits up to --wait for that crawl to end (parc watch releases
the archive between runs), then exits 3.`)
	c.waitFlag()
	if err := c.parse(args); err != nil {
		return err
	}
	if len(c.args) != 1 {
		return usagef("backup takes one PATH, got %d arguments", len(c.args))
	}
	cfg, err := c.load()
	if err != nil {
		return err
	}
	arc, err := c.openRead(cfg)
	if err != nil {
		return err
	}
	defer arc.Close()
	dst := c.args[0]
	if fi, err := os.Stat(dst); err == nil && fi.IsDir() {
		dst = filepath.Join(dst, filepath.Base(cfg.Archive.Path))
	}
	if err := checkOutput("backup:", dst, cfg.Archive.Path); err != nil {
		return err
	}
	n, err := atomicfile.Write(dst, 0o600, func(f *os.File) error { return arc.Backup(ctx, f) })
	if err != nil {
		return fmt.Errorf("backup of %s: %w", cfg.Archive.Path, err)
	}
	fmt.Fprintf(e.stderr, "backup: %s -> %s (%d bytes)\n", cfg.Archive.Path, dst, n)
	return nil
}

// same reports whether a and b name one existing file.
func cmdCompact(ctx context.Context, e *env, args []string) error {
	c := newFlags(e, "compact", `compact

Rewrites the archive without its free pages (bbolt never shrinks its
file). Takes the write lock (exit 3 at once when a crawl holds it),
compacts into a fresh PATH.compact-tmp-* file beside the archive, checks the copy opens
and holds as many records, revisions and captures, then renames it over
the archive while still holding the lock. If anything fails the original
is kept and the temporary file removed. Raw captures an older parc stored
as compressed bodies are stored as their WARC records in the copy (each
checked to read back the same), so WARC exports copy them.`)
	if err := c.parse(args); err != nil {
		return err
	}
	if len(c.args) != 0 {
		return usagef("compact takes no arguments, got %q", c.args)
	}
	cfg, err := c.load()
	if err != nil {
		return err
	}
	path := cfg.Archive.Path
	arc, err := c.openExisting(cfg)
	if err != nil {
		return err
	}
	defer arc.Close()
	before, err := arc.Stats(ctx)
	if err != nil {
		return err
	}
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	tmp, err := compactTemp(path)
	if err != nil {
		return err
	}
	if err := compactInto(ctx, arc, tmp, before, fi.Mode().Perm(), c); err != nil {
		os.Remove(tmp)
		return err
	}
	// Rename while holding the lock on the old file: no writer can slip
	// in between the copy and the swap.
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("compact: replace %s: %w", path, err)
	}
	if err := atomicfile.SyncDir(filepath.Dir(path)); err != nil {
		return fmt.Errorf("compact: %w", err)
	}
	after, err := os.Stat(path)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "compact: %s %d -> %d bytes\n", path, fi.Size(), after.Size())
	return nil
}

// compactInto compacts arc into tmp and checks the copy.
// compactTemp creates the compacted copy's file beside the archive under
// a fresh, exclusive name (PATH.compact-tmp-RANDOM): never a fixed name a
// symbolic link could redirect. Copies left by a compact that died are
// removed first; the write lock we hold means no compact runs.
func compactTemp(path string) (string, error) {
	dir, base := filepath.Split(path)
	if stale, err := filepath.Glob(filepath.Join(dirOrDot(dir), globEscape(base)+".compact-tmp*")); err == nil {
		for _, f := range stale {
			if fi, err := os.Lstat(f); err == nil && fi.Mode().IsRegular() {
				os.Remove(f)
			}
		}
	}
	f, err := os.CreateTemp(dirOrDot(dir), base+".compact-tmp-*")
	if err != nil {
		return "", fmt.Errorf("compact: %w", err)
	}
	name := f.Name()
	if err := f.Close(); err != nil {
		os.Remove(name)
		return "", fmt.Errorf("compact: %w", err)
	}
	return name, nil
}

// globEscape quotes the glob metacharacters of a file name.
func globEscape(name string) string {
	return strings.NewReplacer(`\`, `\\`, "*", `\*`, "?", `\?`, "[", `\[`).Replace(name)
}

func compactInto(ctx context.Context, arc *archive.Archive, tmp string, want archive.Stats, mode os.FileMode, c *common) error {
	stop := c.progress("compact", nil)
	err := arc.Compact(ctx, tmp)
	stop()
	if err != nil {
		return fmt.Errorf("compact: %w", err)
	}
	if err := os.Chmod(tmp, mode); err != nil {
		return fmt.Errorf("compact: %w", err)
	}
	cp, err := archive.Open(tmp, archive.Options{ReadOnly: true, Logger: c.logger()})
	if err != nil {
		return fmt.Errorf("compact: the copy does not open: %w", err)
	}
	got, err := cp.Stats(ctx)
	cp.Close()
	if err != nil {
		return fmt.Errorf("compact: the copy: %w", err)
	}
	if got.Records != want.Records || got.Revisions != want.Revisions || got.Captures != want.Captures || got.URLs != want.URLs {
		return fmt.Errorf("compact: the copy holds %d records, %d revisions, %d captures, %d urls; the archive %d, %d, %d, %d",
			got.Records, got.Revisions, got.Captures, got.URLs, want.Records, want.Revisions, want.Captures, want.URLs)
	}
	// bbolt grows its file in 16 MB steps ahead of the data; cut the copy
	// to its last page (what Tx.WriteTo writes too), or a compacted file
	// can end up larger than the original.
	f, err := os.OpenFile(tmp, os.O_RDWR, 0)
	if err != nil {
		return fmt.Errorf("compact: %w", err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && got.Size > 0 && fi.Size() > got.Size {
		if err := f.Truncate(got.Size); err != nil {
			return fmt.Errorf("compact: trim the copy: %w", err)
		}
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("compact: sync the copy: %w", err)
	}
	return f.Close()
}

func cmdRedact(ctx context.Context, e *env, args []string) error {
	c := newFlags(e, "redact", `redact --reason TEXT ID|URL

For a legal takedown: removes the article's text, earlier revisions and raw
captures, and keeps a tombstone (id, URLs, reason, time) so that later
crawls recognise the article and do not store it again. Exports leave it
out; "parc show" prints the tombstone. Takes the write lock.`)
	reason := c.fs.String("reason", "", "why it is redacted (required; kept in the tombstone)")
	if err := c.parse(args); err != nil {
		return err
	}
	if len(c.args) != 1 {
		return usagef("redact takes one ID or URL, got %d arguments", len(c.args))
	}
	if strings.TrimSpace(*reason) == "" {
		return usagef("redact needs --reason TEXT")
	}
	cfg, err := c.load()
	if err != nil {
		return err
	}
	arc, err := c.openExisting(cfg)
	if err != nil {
		return err
	}
	defer arc.Close()
	h, err := arc.Get(ctx, c.args[0])
	if err != nil {
		return err
	}
	if h.Redacted != nil {
		fmt.Fprintf(e.stderr, "redact: %s was already redacted at %s (%s)\n", h.Record.ID, h.Redacted.At, h.Redacted.Reason)
		return nil
	}
	if err := arc.Redact(ctx, h.Record.ID, strings.TrimSpace(*reason)); err != nil {
		return err
	}
	if err := arc.Close(); err != nil {
		return err
	}
	if err := serve.Unindex(cfg.Archive.Path, h.Record.ID); err != nil {
		fmt.Fprintf(e.stderr, "redact: %v; a running parc serve drops the article from its results itself\n", err)
	}
	fmt.Fprintf(e.stderr, "redact: %s (%s) redacted: text, %d revisions and their captures removed\n", h.Record.ID, h.Record.URL, len(h.Revisions))
	return nil
}
