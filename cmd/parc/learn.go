package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/parc-archiver/parc/archive"
	"github.com/parc-archiver/parc/learn"
)

// defaultLearnPages is how many article captures parc learn reads by
// default: a few dozen pages show every template a portal serves often.
const defaultLearnPages = 60

func cmdLearn(ctx context.Context, e *env, args []string) error {
	c := newFlags(e, "learn", `learn [--pages N] [--reset]

Proposes the portal's selectors from its archived article captures (the
newest capture of up to N records; read-only, waiting up to --wait for a
crawl). Standard output: only a YAML document whose top-level key is
selectors:, to paste under the portal entry of config.yaml. Standard
error: per-field coverage and the pages no selector explains. parc learn
does not fetch: with fewer than N captures it learns from those it has
and says so (crawl more first). --reset: parc stores no learned template
model yet, so there is nothing to drop; it says so.`)
	pages := c.fs.Int("pages", defaultLearnPages, "read up to `N` article captures")
	reset := c.fs.Bool("reset", false, "drop the portal's learned template model (none is stored yet)")
	cfg, arc, err := c.readArchive(args, 0)
	if err != nil {
		return err
	}
	defer arc.Close()
	if *pages < 1 {
		return usagef("--pages %d: at least 1", *pages)
	}
	if *reset {
		fmt.Fprintln(e.stderr, "learn: --reset: no learned template model is stored (this version keeps none); nothing dropped")
	}
	in, err := learnPages(ctx, arc, *pages)
	if err != nil {
		return fmt.Errorf("learn: %w", err)
	}
	if len(in) == 0 {
		return fmt.Errorf("learn: %s holds no article capture to learn from (crawl first, with archive.keep_raw)", arc.Path())
	}
	if len(in) < *pages {
		fmt.Fprintf(e.stderr, "learn: only %d article captures stored (--pages %d); learning from those (parc learn does not fetch)\n", len(in), *pages)
	}
	res, err := learn.Learn(ctx, in, learn.Options{Location: cfg.Portal.Location()})
	if err != nil {
		return fmt.Errorf("learn: %w", err)
	}
	res.WriteReport(e.stderr)
	return res.WriteYAML(e.stdout)
}

// learnPages reads the newest capture of up to n records (successful
// responses only).
func learnPages(ctx context.Context, arc *archive.Archive, n int) ([]learn.Page, error) {
	var out []learn.Page
	for after := ""; len(out) < n; {
		batch, next, err := arc.CurrentCaptures(ctx, after, min(256, n))
		if err != nil {
			return nil, err
		}
		if len(batch) == 0 {
			return out, nil
		}
		after = next
		for _, cc := range batch {
			if cc.Capture == nil || cc.Capture.Status < 200 || cc.Capture.Status > 299 || len(out) == n {
				continue
			}
			c := cc.Capture
			out = append(out, learn.Page{URL: c.URL, Body: c.Body, ContentType: c.Header.Get("Content-Type"), FetchedAt: c.FetchedAt})
		}
	}
	return out, errors.Join(ctx.Err())
}
