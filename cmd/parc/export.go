package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/parc-archiver/parc/archive"
	"github.com/parc-archiver/parc/export"
	"github.com/parc-archiver/parc/internal/atomicfile"
	"github.com/parc-archiver/parc/internal/config"
	"github.com/parc-archiver/parc/record"
	"golang.org/x/term"
)

// exportFlags are the flags of parc export.
type exportFlags struct {
	format, out, since, until, category, fields, sinceLast, cdxj *string
	allRevs, bom, rawCells                                       *bool
	limit                                                        *int
}

func defineExportFlags(c *common) *exportFlags {
	fs := c.fs
	return &exportFlags{
		format:    fs.String("format", "jsonl", "json, jsonl, csv, atom, warc or parquet"),
		out:       fs.String("out", "", "write to `FILE` (atomically: a temporary file renamed when complete); default standard output"),
		since:     fs.String("since", "", "only articles published on or after this time (RFC 3339, or YYYY-MM-DD: that day in portal.timezone)"),
		until:     fs.String("until", "", "only articles published before this time (RFC 3339, or YYYY-MM-DD: up to the end of that day in portal.timezone)"),
		category:  fs.String("category", "", "only articles of this category"),
		fields:    fs.String("fields", "", "comma-separated fields, in this order (json, jsonl, csv, parquet)"),
		allRevs:   fs.Bool("all-revisions", false, "every stored revision, not only the current one"),
		sinceLast: fs.String("since-last", "", "only records new or changed since the last completed export under this `NAME`"),
		bom:       fs.Bool("bom", false, "csv: start with a UTF-8 byte-order mark (for Excel on Windows)"),
		rawCells:  fs.Bool("raw-cells", false, "csv: do not neutralise cells a spreadsheet would run as formulas"),
		limit:     fs.Int("limit", 0, "atom: number of newest entries (default 50)"),
		cdxj:      fs.String("cdxj", "", "warc: also write a CDXJ index of the WARC to `FILE` (needs --out)"),
	}
}

// request checks the flags and returns what to export and how.
func (x *exportFlags) request() (archive.Filter, export.Options, error) {
	opts := export.Options{Format: export.Format(*x.format), BOM: *x.bom, RawCells: *x.rawCells, Limit: *x.limit, Version: config.Version}
	if *x.cdxj != "" && (opts.Format != export.FormatWARC || *x.out == "" || *x.out == "-") {
		return archive.Filter{}, opts, usagef("--cdxj needs --format warc and --out FILE")
	}
	f := archive.Filter{Category: *x.category, AllRevisions: *x.allRevs, SinceLast: *x.sinceLast}
	var err error
	if f.Since, f.Until, err = x.bounds(time.UTC); err != nil {
		return f, opts, err
	}
	if !slices.Contains(export.Formats(), opts.Format) {
		return f, opts, usagef("--format %q: want json, jsonl, csv, atom, warc or parquet", *x.format)
	}
	if *x.fields != "" {
		if opts.Fields, err = export.ParseFields(*x.fields); err != nil {
			return f, opts, usagef("--fields: %v", err)
		}
		if opts.Format == export.FormatAtom || opts.Format == export.FormatWARC {
			return f, opts, usagef("--fields works with json, jsonl, csv and parquet, not %s", opts.Format)
		}
	}
	return f, opts, nil
}

func cmdExport(ctx context.Context, e *env, args []string) error {
	c := newFlags(e, "export", "export [--format json|jsonl|csv|atom|warc|parquet] [--out FILE] [--portal NAME]... [filters]")
	c.waitFlag()
	x := defineExportFlags(c)
	c.portalFlag()
	if err := c.parse(args); err != nil {
		return err
	}
	if len(c.args) > 0 {
		return usagef("export takes no arguments, got %q", c.args)
	}
	f, opts, err := x.request()
	if err != nil {
		return err
	}
	if opts.Format == export.FormatParquet && (*x.out == "" || *x.out == "-") && isTerminal(e.stdout) {
		return usagef("--format parquet writes a binary file: give --out FILE or redirect standard output")
	}
	cfg, err := c.load()
	if err != nil {
		return err
	}
	if err := checkExportOutputs(*x.out, *x.cdxj, cfg.Archive.Path); err != nil {
		return err
	}
	views, err := c.selectPortals(cfg)
	if err != nil {
		return err
	}
	f.Portals = c.portals
	if err := x.portalOptions(views, &f, &opts); err != nil {
		return err
	}
	// A cursor is written on completion, so --since-last needs write access.
	var arc *archive.Archive
	if f.SinceLast != "" {
		arc, err = archive.Open(cfg.Archive.Path, archive.Options{LockTimeout: c.wait, Portal: cfg.Portal.Name, Logger: c.logger()})
	} else {
		arc, err = c.openRead(cfg)
	}
	if err != nil {
		return err
	}
	defer arc.Close()
	n, err := exportWithCursor(ctx, arc, f, func() (int, error) {
		n, err := writeAtomically(*x.out, e.stdout, func(w io.Writer) (int, error) { return c.exportCounted(ctx, arc, w, f, opts) })
		if err == nil && *x.cdxj != "" {
			err = writeCDXJ(ctx, *x.out, *x.cdxj)
		}
		return n, err
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "export: %d records (%s)\n", n, *x.format)
	return nil
}

// portalOptions fills in what the portals exported (views) decide: a
// day given to --since/--until is one in the first one's time zone; one
// portal names the feed and the WARC.
func (x *exportFlags) portalOptions(views []*config.Config, f *archive.Filter, opts *export.Options) error {
	first := views[0].Portal
	if loc := first.Location(); loc != nil {
		var err error
		if f.Since, f.Until, err = x.bounds(loc); err != nil {
			return err
		}
	}
	if len(views) > 1 {
		return nil
	}
	opts.Portal = first.Name
	if len(first.StartURLs) > 0 {
		opts.FeedURL = first.StartURLs[0]
	}
	return nil
}

// exportCounted is exportTo with progress: the megabytes written so far.
func (c *common) exportCounted(ctx context.Context, arc *archive.Archive, w io.Writer, f archive.Filter, opts export.Options) (int, error) {
	cw := &countingWriter{w: w}
	defer c.progress("export", cw.megabytes)()
	return exportTo(ctx, arc, cw, f, opts)
}

// checkExportOutputs refuses --out and --cdxj over the archive, a
// directory, or each other.
func checkExportOutputs(out, cdxj, archivePath string) error {
	if err := checkOutput("--out", out, archivePath); err != nil {
		return err
	}
	if err := checkOutput("--cdxj", cdxj, archivePath); err != nil {
		return err
	}
	if cdxj != "" && (filepath.Clean(cdxj) == filepath.Clean(out) || same(cdxj, out)) {
		return usagef("--cdxj %s is the --out file", cdxj)
	}
	return nil
}

// exportWithCursor runs write and, for an export under a cursor name,
// moves the cursor to the change sequence read before it, once the output
// is complete: a change landing meanwhile is exported again next time,
// never lost.
func exportWithCursor(ctx context.Context, arc *archive.Archive, f archive.Filter, write func() (int, error)) (int, error) {
	var seq uint64
	if f.SinceLast != "" {
		var err error
		if seq, err = arc.CurrentSeq(ctx); err != nil {
			return 0, err
		}
	}
	n, err := write()
	if err != nil || f.SinceLast == "" {
		return n, err
	}
	if err := arc.CommitCursor(ctx, f.SinceLast, seq); err != nil {
		return n, fmt.Errorf("export: records written, but cursor %q not saved: %w", f.SinceLast, err)
	}
	return n, nil
}

func exportTo(ctx context.Context, arc *archive.Archive, w io.Writer, f archive.Filter, opts export.Options) (int, error) {
	if opts.Format == export.FormatWARC {
		f.WARCRecords = true // stored records are copied as they are
		return export.WARC(ctx, w, func(ctx context.Context, fn func(c *record.Capture, id, digest string) error) error {
			return arc.Captures(ctx, f, fn)
		}, opts)
	}
	return export.Records(ctx, w, func(ctx context.Context, fn func([]byte) error) error {
		return arc.Records(ctx, f, fn)
	}, opts)
}

// writeAtomically runs write into path through a temporary file renamed on
// success (so a failed export never leaves half a file), or into stdout
// when path is empty.
func writeAtomically(path string, stdout io.Writer, write func(io.Writer) (int, error)) (int, error) {
	if path == "" || path == "-" {
		return write(stdout)
	}
	var n int
	_, err := atomicfile.Write(path, 0o644, func(f *os.File) error {
		var err error
		n, err = write(f)
		return err
	})
	if err != nil {
		return n, fmt.Errorf("export: %w", err)
	}
	return n, nil
}

// isTerminal reports whether w is a terminal (asked of the terminal
// driver: /dev/null is a character device but no terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// bounds are --since and --until, a bare date being that day in loc (the
// portal's time zone).
func (x *exportFlags) bounds(loc *time.Location) (since, until time.Time, err error) {
	if since, err = parseWhen(*x.since, false, loc); err != nil {
		return since, until, usagef("--since: %v", err)
	}
	if until, err = parseWhen(*x.until, true, loc); err != nil {
		return since, until, usagef("--until: %v", err)
	}
	return since, until, nil
}

// parseWhen reads RFC 3339 or YYYY-MM-DD, a date being its midnight in loc;
// with endOfDay a date means the end of that day (the next midnight there).
func parseWhen(s string, endOfDay bool, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	t, err := time.ParseInLocation("2006-01-02", s, loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is neither RFC 3339 nor YYYY-MM-DD", s)
	}
	if endOfDay {
		t = t.AddDate(0, 0, 1) // the calendar's next day: 23 or 25 hours on a DST change
	}
	return t, nil
}
