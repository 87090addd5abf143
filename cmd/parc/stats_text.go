package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/parc-archiver/parc/archive"
	"github.com/parc-archiver/parc/frontier"
	"github.com/parc-archiver/parc/internal/htmldoc"
	"github.com/parc-archiver/parc/run"
	"github.com/parc-archiver/parc/runrecord"
)

// statsRunsShown is how many of the last runs the text form lists.
const statsRunsShown = 10

// writeStatsText prints rep for a person: the counts aligned, sizes in
// MB, then the last runs as a table, newest last, then what the last run
// left out.
func writeStatsText(w io.Writer, rep statsReport) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	st := rep.Stats
	run0 := "finished"
	if !st.RunFinished {
		run0 = "not finished: the next crawl goes on with it"
	}
	rows := [][2]string{
		{"records", fmt.Sprintf("%d (%d redacted)", st.Records, st.Redacted)},
		{"revisions", fmt.Sprint(st.Revisions)},
		{"raw captures", rawCaptures(st.Captures, st.Responses)},
		{"URLs known", fmt.Sprint(st.URLs)},
		{"archive size", fmt.Sprintf("%.1f MB", float64(st.Size)/1e6)},
		{"crawl run", fmt.Sprintf("%d, %s", st.Run, run0)},
		{"queued", fmt.Sprintf("%d pending, %d failed (queued again for the next run)", st.Pending, st.Failed)},
		{"failures, last run", run.ByKind(rep.FailuresLastRun)},
		{fmt.Sprintf("failures, last %d runs", len(st.LastRuns)), run.ByKind(rep.FailuresRecent)},
	}
	for _, r := range rows {
		fmt.Fprintf(tw, "%s:\t%s\n", r[0], r[1])
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	writeTemplates(w, rep.Portals)
	if err := writePortalsTable(w, rep.Portals); err != nil {
		return err
	}
	if err := writeRunsTable(w, rep); err != nil {
		return err
	}
	if l := rep.lastRun; l.LongURLs+l.LinksOverPageLimit+l.URLsOverRunLimit+l.PagesCut > 0 {
		fmt.Fprintf(w, "\nlast run left out: %d links longer than 8 KB, %d beyond crawl.max_links_per_page, %d to new URLs beyond crawl.max_new_urls_per_run, %d pages read only up to their first %d tags\n",
			l.LongURLs, l.LinksOverPageLimit, l.URLsOverRunLimit, l.PagesCut, htmldoc.MaxTags)
	}
	return nil
}

// writeTemplates says, per portal, which template model its crawls
// extract with.
func writeTemplates(w io.Writer, ps []portalStats) {
	for _, p := range ps {
		switch m := p.Template; {
		case m == nil:
		case m.Pages == 0:
			fmt.Fprintf(w, "template model of %s: %d reset; the next crawl learns it again\n", p.Name, m.Version)
		default:
			fmt.Fprintf(w, "template model of %s: %d, learned %s from %d article pages, %d template blocks, for %s\n",
				p.Name, m.Version, m.Learned.Format(time.DateTime+" MST"), m.Pages, m.Blocks, strings.Join(m.Hosts, ", "))
		}
	}
}

// writePortalsTable lists the archive's portals when it holds several (or
// one the config does not name).
func writePortalsTable(w io.Writer, ps []portalStats) error {
	if len(ps) < 2 && (len(ps) == 0 || ps[0].InConfig) {
		return nil
	}
	fmt.Fprintln(w, "\nportals:")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "portal\trecords\tnewest\trun\tpending\tfailed\tin config")
	for _, p := range ps {
		state := "finished"
		if !p.RunFinished {
			state = "going on"
		}
		inConfig := "yes"
		if !p.InConfig {
			inConfig = "no (kept; parc portal rename if it was renamed)"
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%d, %s\t%d\t%d\t%s\n", p.Name, p.Records, orDash(p.NewestFirstSeen), p.Run, state, p.Pending, p.Failed, inConfig)
	}
	return tw.Flush()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// writeRunsTable lists the last statsRunsShown runs, oldest first.
func writeRunsTable(w io.Writer, rep statsReport) error {
	runs := rep.LastRuns
	if len(runs) == 0 {
		_, err := fmt.Fprintln(w, "\nno crawl run recorded yet")
		return err
	}
	fmt.Fprintf(w, "\nlast %d runs:\n", min(len(runs), statsRunsShown))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	col := func(string) string { return "" } // the portal column: with several portals in the archive
	if len(rep.Portals) > 1 {
		col = func(portal string) string { return orDash(portal) + "\t" }
	}
	fmt.Fprintln(tw, "finished\t"+col("portal")+"pages\tnew\tupdated\tunchanged\tduplicates\tfailed\tseconds\t  outcome")
	for _, raw := range runs[max(0, len(runs)-statsRunsShown):] {
		r, err := runrecord.Parse(raw)
		if err != nil {
			continue
		}
		outcome := "ok"
		if r.Error != "" {
			outcome = "failed: " + r.Error
		}
		fmt.Fprintf(tw, "%s\t%s%d\t%d\t%d\t%d\t%d\t%d\t%.1f\t  %s\n", r.Finished.Local().Format(time.DateTime), col(r.Portal),
			r.Pages, r.New, r.Updated, r.Unchanged, r.Duplicates, r.Failed, r.Seconds, outcome)
	}
	return tw.Flush()
}

// writeFailed lists the URLs that failed and are not archived: those the
// next crawl retries, then those parc gave up on (a 4xx answer or a
// malformed URL: tried again only when a page links them again). What
// parc does not fetch by rule (robots-disallowed, off-scope) is counted in
// the summary, not kept. As text: a table, URLs whole; with asJSON, one
// JSON object a line.
func writeFailed(ctx context.Context, w io.Writer, arc *archive.Archive, asJSON bool, portals []string) error {
	infos, err := arc.Portals(ctx)
	if err != nil {
		return err
	}
	col := func(string) string { return "" } // the portal column: with several portals in the archive
	if len(infos) > 1 {
		col = func(portal string) string { return portal + "\t" }
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	if !asJSON {
		fmt.Fprintln(tw, col("portal")+"kind\tstatus\tattempts\tnext retry\turl")
	}
	n := 0
	err = arc.Failed(ctx, func(portal string, it frontier.Item, gaveUp bool) error {
		if len(portals) > 0 && !slices.Contains(portals, portal) {
			return nil
		}
		n++
		f := it.Failed
		if f == nil {
			f = &frontier.Failure{Kind: "unknown"} // failed before parc kept how
		}
		next := "next crawl"
		if gaveUp {
			next = "when linked again" // a 4xx: not asked again by itself
		}
		if asJSON {
			b, err := json.Marshal(failedLine{Portal: portal, URL: it.URL, Kind: f.Kind, Status: f.Status, Attempts: f.Attempts, NextRetry: next})
			if err == nil {
				_, err = fmt.Fprintf(w, "%s\n", b)
			}
			return err
		}
		status := "-"
		if f.Status != 0 {
			status = fmt.Sprint(f.Status)
		}
		_, err := fmt.Fprintf(tw, "%s%s\t%s\t%d\t%s\t%s\n", col(portal), f.Kind, status, f.Attempts, next, it.URL)
		return err
	})
	if err != nil {
		return err
	}
	if !asJSON && n == 0 {
		_, err := fmt.Fprintln(w, "no failed URL waits for a retry")
		return err
	}
	return tw.Flush()
}

// failedLine is one line of parc stats --failed --json.
type failedLine struct {
	Portal    string `json:"portal"`
	URL       string `json:"url"`
	Kind      string `json:"kind"`
	Status    int    `json:"status,omitempty"`
	Attempts  int    `json:"attempts"`
	NextRetry string `json:"next_retry"`
}

// rawCaptures says how many captures the archive keeps: the article
// pages' and, with archive.keep_raw: all, the other responses'.
func rawCaptures(articles, others int) string {
	if others == 0 {
		return fmt.Sprint(articles)
	}
	return fmt.Sprintf("%d (articles), %d (other responses: robots.txt, listings, redirects)", articles, others)
}
