package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/parc-archiver/parc/archive"
	"github.com/parc-archiver/parc/extract"
	"github.com/parc-archiver/parc/extract/template"
	"github.com/parc-archiver/parc/failure"
	"github.com/parc-archiver/parc/internal/config"
	"github.com/parc-archiver/parc/internal/htmldoc"
	"github.com/parc-archiver/parc/record"
	"github.com/parc-archiver/parc/run"
	"github.com/parc-archiver/parc/runrecord"
)

func cmdExtract(ctx context.Context, e *env, args []string) error {
	c := newFlags(e, "extract", "extract [--url URL] [--explain] [--format json|text] [--portal NAME] FILE|-")
	pageURL := c.fs.String("url", "", "the page's `URL` (resolves links, canonical URL and relative dates; default: the page's canonical link)")
	explain := c.fs.Bool("explain", false, "add which rule found or removed what")
	format := c.fs.String("format", "json", "json (one export record) or text (the fields, then the body)")
	c.fs.Var(&c.portals, "portal", "use the profile of portal `NAME` (default: the portal whose article_url matches --url, else the first)")
	if err := c.parse(args); err != nil {
		return err
	}
	if len(c.args) != 1 {
		return usagef("extract takes one FILE (or - for standard input)")
	}
	if *format != "json" && *format != "text" {
		return usagef("--format %q: extract prints json or text", *format)
	}
	cfg, err := c.loadOrDefault()
	if err != nil {
		return err
	}
	var in io.Reader = e.stdin
	if name := c.args[0]; name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return fmt.Errorf("extract: %w", err)
		}
		defer f.Close()
		in = f
	}
	input := extract.Input{FetchedAt: time.Now()}
	if *pageURL != "" {
		u, err := url.Parse(*pageURL)
		if err != nil || !u.IsAbs() {
			return usagef("--url %q is not an absolute URL", *pageURL)
		}
		input.URL = u
	}
	if cfg, err = c.extractPortal(cfg, *pageURL); err != nil {
		return err
	}
	ex, err := run.Extractor(cfg, *explain, c.extractTemplate(ctx, cfg, *explain))
	if err != nil {
		return err
	}
	art, err := ex.Extract(in, input)
	if err != nil {
		return fmt.Errorf("extract: %w", err)
	}
	rec, err := archive.RecordOf(archive.Page{URL: extractedURL(*pageURL, art.Canonical, c.args[0]), Portal: cfg.Portal.Name, Article: run.ArchiveArticle(art), FetchedAt: input.FetchedAt})
	if err != nil {
		return fmt.Errorf("extract: %w", err)
	}
	if *format == "text" {
		return writeRecordText(e.stdout, rec, art, *explain)
	}
	return writeRecordJSON(e.stdout, rec, art, *explain)
}

// extractTemplate is the portal's template model for parc extract, read
// only when the archive is free: it never waits for a crawl, nor takes
// the write lock (nil when it cannot read one). With explain it says
// which it applies.
func (c *common) extractTemplate(ctx context.Context, cfg *config.Config, explain bool) *template.Model {
	if _, err := os.Stat(cfg.Archive.Path); err != nil {
		return nil
	}
	arc, err := archive.Open(cfg.Archive.Path, archive.Options{ReadOnly: true, Portal: cfg.Portal.Name, Logger: c.logger()})
	if err != nil {
		return nil
	}
	defer arc.Close()
	m, err := run.StoredTemplate(ctx, arc, cfg.Portal.Name)
	if err != nil || m == nil || m.Pages == 0 {
		return nil
	}
	if explain {
		fmt.Fprintf(c.e.stderr, "extract: template model %d of portal %s (learned from %d pages; applies to %s)\n", m.Version, cfg.Portal.Name, m.Pages, strings.Join(m.Hosts, ", "))
	}
	return m
}

// writeRecordJSON prints parc extract's record, with --explain's keys.
func writeRecordJSON(w io.Writer, rec record.Record, art *extract.Article, explain bool) error {
	var v any = rec
	if explain {
		v = struct {
			record.Record
			Fields  map[string]string `json:"explain_fields"`
			Rules   map[string]string `json:"explain_rules,omitempty"`
			Removed []extract.Removal `json:"explain_removed"`
		}{rec, art.Fields, art.Rules, art.Removed}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// extractedURL is the record's URL for parc extract: --url, else the
// page's own canonical link, else a placeholder naming the file.
func extractedURL(flagURL, canonical, file string) string {
	switch {
	case flagURL != "":
		return flagURL
	case canonical != "":
		return canonical
	}
	return "http://localhost/" + filepath.Base(file)
}

// extractPortal is the portal whose profile parc extract uses: the one
// --portal names, else the first whose article_url matches pageURL, else
// the config's first.
func (c *common) extractPortal(cfg *config.Config, pageURL string) (*config.Config, error) {
	if len(c.portals) > 1 {
		return nil, usagef("extract uses one portal's profile: give --portal once")
	}
	views, err := c.selectPortals(cfg)
	if err != nil {
		return nil, err
	}
	for _, v := range views {
		if re := v.Portal.ArticleRE(); pageURL != "" && re != nil && re.MatchString(pageURL) {
			return v, nil
		}
	}
	return views[0], nil
}

func cmdShow(ctx context.Context, e *env, args []string) error {
	c := newFlags(e, "show", "show [--json] [--portal NAME]... URL|ID|ID-PREFIX")
	asJSON := c.fs.Bool("json", false, "print the history as JSON (record, revisions, versions)")
	c.portalFlag()
	cfg, arc, err := c.readArchive(args, 1)
	if err != nil {
		return err
	}
	defer arc.Close()
	if _, err := c.selectPortals(cfg); err != nil {
		return err
	}
	h, err := arc.Get(ctx, c.args[0])
	if err != nil {
		return err
	}
	if len(c.portals) > 0 && !slices.Contains(c.portals, h.Record.Portal) {
		return fmt.Errorf("%s is an article of portal %s, not of --portal %s: %w", c.args[0], h.Record.Portal, c.portals.String(), archive.ErrNotFound)
	}
	if !*asJSON {
		return writeHistoryText(e.stdout, h)
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(h)
}

func cmdStats(ctx context.Context, e *env, args []string) error {
	c := newFlags(e, "stats", "stats [--json] [--failed] [--portal NAME]...")
	asJSON := c.fs.Bool("json", false, "print the counts and run records as JSON (keys in docs/SCHEMA.md)")
	failed := c.fs.Bool("failed", false, "list every URL that failed and is not archived: portal, kind, status, attempts, next retry")
	c.portalFlag()
	cfg, arc, err := c.readArchive(args, 0)
	if err != nil {
		return err
	}
	defer arc.Close()
	if _, err := c.selectPortals(cfg); err != nil {
		return err
	}
	if *failed {
		return writeFailed(ctx, e.stdout, arc, *asJSON, c.portals)
	}
	rep, err := c.statsReport(ctx, cfg, arc)
	if err != nil {
		return err
	}
	if !*asJSON {
		return writeStatsText(e.stdout, rep)
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(rep); err != nil {
		return err
	}
	if len(rep.Stats.LastRuns) > 0 {
		fmt.Fprintf(e.stderr, "stats: last run: failures by kind: %s; recovered by retrying: %s; %d queued again for the next run\n",
			run.ByKind(rep.FailuresLastRun), run.ByKind(rep.RetriedLastRun), rep.Stats.Failed)
		fmt.Fprintf(e.stderr, "stats: last %d runs: failures by kind: %s\n", len(rep.Stats.LastRuns), run.ByKind(rep.FailuresRecent))
	}
	if l := rep.lastRun; l.LongURLs+l.LinksOverPageLimit+l.URLsOverRunLimit > 0 {
		fmt.Fprintf(e.stderr, "stats: last run: not queued: %d links longer than 8 KB, %d beyond crawl.max_links_per_page, %d to new URLs beyond crawl.max_new_urls_per_run\n",
			l.LongURLs, l.LinksOverPageLimit, l.URLsOverRunLimit)
	}
	if l := rep.lastRun; l.PagesCut > 0 {
		fmt.Fprintf(e.stderr, "stats: last run: %d pages read only up to their first %d tags\n", l.PagesCut, htmldoc.MaxTags)
	}
	return nil
}

// statsReport is what `parc stats` prints: the archive's counts and its
// last runs, plus the failures by kind of the last run and of all kept
// runs, so that nobody has to add up last_runs by hand.
type statsReport struct {
	archive.Stats
	// Portals are the archive's portals (those --portal names), and
	// whether the config still names each.
	Portals         []portalStats        `json:"portals"`
	FailuresLastRun map[failure.Kind]int `json:"failures_last_run"`
	RetriedLastRun  map[failure.Kind]int `json:"retried_last_run"`
	FailuresRecent  map[failure.Kind]int `json:"failures_recent"` // summed over last_runs
	lastRun         runrecord.Run        // for the text lines; in last_runs already
}

// portalStats is one portal of parc stats.
type portalStats struct {
	archive.PortalInfo
	InConfig bool `json:"in_config"`
	// Template is the portal's stored template model; nil: none.
	Template *templateStats `json:"template_model,omitempty"`
}

// templateStats is what parc stats says of a template model.
type templateStats struct {
	Version int       `json:"version"`
	Learned time.Time `json:"learned"`
	Pages   int       `json:"pages"` // 0: reset, the next crawl learns it again
	Blocks  int       `json:"blocks"`
	Hosts   []string  `json:"hosts"`
}

// storedTemplate is the template model of portal for parc stats; nil
// when none is stored (a damaged one says so on standard error).
func (c *common) storedTemplate(ctx context.Context, arc *archive.Archive, portal string) *templateStats {
	m, err := run.StoredTemplate(ctx, arc, portal)
	if err != nil {
		fmt.Fprintf(c.e.stderr, "stats: portal %s: template model: %v (the next crawl learns it again)\n", portal, err)
	}
	if m == nil || err != nil {
		return nil
	}
	return &templateStats{Version: m.Version, Learned: m.Learned, Pages: m.Pages, Blocks: len(m.Blocks), Hosts: m.Hosts}
}

// statsReport reads what parc stats prints: with --portal, the portals
// table and the runs are those portals'; a portal of the archive that
// the config no longer names is listed and warned about.
func (c *common) statsReport(ctx context.Context, cfg *config.Config, arc *archive.Archive) (statsReport, error) {
	st, err := arc.Stats(ctx)
	if err != nil {
		return statsReport{}, err
	}
	if len(c.portals) > 0 {
		if st.LastRuns, err = arc.Runs(ctx, c.portals...); err != nil {
			return statsReport{}, err
		}
	}
	rep := newStatsReport(st)
	infos, err := arc.Portals(ctx)
	if err != nil {
		return statsReport{}, err
	}
	known := cfg.PortalNames()
	for _, p := range infos {
		if len(c.portals) > 0 && !slices.Contains(c.portals, p.Name) {
			continue
		}
		ps := portalStats{PortalInfo: p, InConfig: slices.Contains(known, p.Name), Template: c.storedTemplate(ctx, arc, p.Name)}
		if !ps.InConfig {
			fmt.Fprintf(c.e.stderr, "stats: portal %s is in the archive but not in the config: its records are kept (parc portal rename %s NEW if it was renamed)\n", p.Name, p.Name)
		}
		rep.Portals = append(rep.Portals, ps)
	}
	return rep, nil
}

func newStatsReport(st archive.Stats) statsReport {
	rep := statsReport{Stats: st, FailuresLastRun: map[failure.Kind]int{}, RetriedLastRun: map[failure.Kind]int{}, FailuresRecent: map[failure.Kind]int{}}
	for i, raw := range st.LastRuns {
		r, err := runrecord.Parse(raw)
		if err != nil {
			continue // a run record of another shape: counted nowhere
		}
		for k, v := range r.Failures {
			rep.FailuresRecent[k] += v
		}
		if i == len(st.LastRuns)-1 {
			maps.Copy(rep.FailuresLastRun, r.Failures)
			maps.Copy(rep.RetriedLastRun, r.Retried)
			rep.lastRun = r
		}
	}
	return rep
}

func cmdVerify(ctx context.Context, e *env, args []string) error {
	c := newFlags(e, "verify", "verify")
	c.recheck = true // the whole file, even when stamped sound (archive.Options.Recheck)
	cfg, arc, err := c.readArchive(args, 0)
	if err != nil {
		return err
	}
	defer arc.Close()
	stop := c.progress("verify", nil)
	problems, err := arc.Verify(ctx)
	stop()
	if err != nil {
		return err
	}
	lost, err := unrecordedProblems(ctx, cfg, arc)
	if err != nil {
		return err
	}
	problems = append(problems, lost...)
	for _, p := range problems {
		fmt.Fprintln(e.stdout, p)
	}
	if len(problems) > 0 {
		return fmt.Errorf("verify: %d problems in %s", len(problems), cfg.Archive.Path)
	}
	fmt.Fprintf(e.stderr, "verify: %s is consistent\n", cfg.Archive.Path)
	return nil
}

// unrecordedProblems reports the article pages (by portal.article_url)
// that a crawl marked done with neither a record nor a failure: their
// store failed under parc before 0.5. The next crawl fetches them again.
func unrecordedProblems(ctx context.Context, cfg *config.Config, arc *archive.Archive) ([]archive.Problem, error) {
	articles, err := run.ArticleKeys(cfg)
	if err != nil || articles == nil {
		return nil, err
	}
	const shown = 10
	n, keys, err := arc.Unrecorded(ctx, articles, shown)
	if err != nil || n == 0 {
		return nil, err
	}
	problems := make([]archive.Problem, 0, len(keys)+1)
	for _, k := range keys {
		problems = append(problems, archive.Problem{Kind: "frontier", Detail: k + " marked done with neither a record nor a failure"})
	}
	if n > len(keys) {
		problems = append(problems, archive.Problem{Kind: "frontier", Detail: fmt.Sprintf("%d more pages marked done with neither a record nor a failure", n-len(keys))})
	}
	problems = append(problems, archive.Problem{Kind: "frontier", Detail: "the next parc crawl walks every listing to fetch them again"})
	return problems, nil
}
