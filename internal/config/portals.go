package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// The multi-portal form: portals: lists entries, portals_dir: names a
// directory with one entry per *.yaml/*.yml file (read in lexical order,
// after the list's). Both may be given; neither may be given with portal:.

// PortalEntry is one portal of portals: (or one file of portals_dir): the
// keys of portal:, plus the crawl settings and the cadence of that portal.
// yaml.Marshal of an entry writes a portals_dir file (unset overrides and
// an empty cadence left out).
type PortalEntry struct {
	Portal `yaml:",inline"`
	// Crawl overrides some of the top-level crawl: keys for this portal.
	Crawl CrawlOverride `yaml:"crawl,omitempty"`
	// Cadence is watch.cadence for this portal: each URL one of its
	// start_urls.
	Cadence []Cadence `yaml:"cadence,omitempty"`
}

// CrawlOverride is a portal entry's crawl:, the keys a portal may set for
// itself; nil keeps the top-level crawl: value.
type CrawlOverride struct {
	Delay         *Duration `yaml:"delay,omitempty"`
	Parallelism   *int      `yaml:"parallelism,omitempty"`
	MaxPages      *int      `yaml:"max_pages,omitempty"`
	Every         *Duration `yaml:"every,omitempty"`
	MaxCrawlDelay *Duration `yaml:"max_crawl_delay,omitempty"`
	UserAgent     *string   `yaml:"user_agent,omitempty"`
}

// overridableCrawlKeys lists CrawlOverride's keys, for error messages.
const overridableCrawlKeys = "delay, parallelism, max_pages, every, max_crawl_delay, user_agent"

// Apply returns base with the keys o sets replaced.
func (o CrawlOverride) Apply(base Crawl) Crawl {
	if o.Delay != nil {
		base.Delay = *o.Delay
	}
	if o.Parallelism != nil {
		base.Parallelism = *o.Parallelism
	}
	if o.MaxPages != nil {
		base.MaxPages = *o.MaxPages
	}
	if o.Every != nil {
		base.Every = *o.Every
	}
	if o.MaxCrawlDelay != nil {
		base.MaxCrawlDelay = *o.MaxCrawlDelay
	}
	if o.UserAgent != nil {
		base.UserAgent = *o.UserAgent
	}
	return base
}

// unknownKeyHint explains, after "unknown key", what the type that
// refused it takes.
func unknownKeyHint(typ string) string {
	if strings.HasSuffix(typ, ".CrawlOverride") {
		return " (a portal's crawl: may set only " + overridableCrawlKeys + "; the others are set in the top-level crawl:)"
	}
	return ""
}

// nameRE is what a portal's name may be: it keys the archive, labels
// metrics and names a portals_dir file.
var nameRE = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)

// ValidPortalName reports whether name may name a portal of the
// many-portal form (parc portal rename's new name too).
func ValidPortalName(name string) bool {
	return nameRE.MatchString(name) && name != "." && name != ".."
}

// multi reports whether the file uses the multi-portal form.
func (c *Config) multi(p problems) bool {
	return p.lines["portals"] > 0 || p.lines["portals_dir"] > 0
}

// checkForm refuses portal: together with portals: or portals_dir:, and
// reports whether the form is the multi-portal one.
func (c *Config) checkForm(p problems) (bool, error) {
	if !c.multi(p) {
		return false, nil
	}
	if p.lines["portal"] > 0 {
		key := "portals"
		if p.lines[key] == 0 {
			key = "portals_dir"
		}
		return true, p.bad(key, "portal: is set too: use portal: for one portal, or portals:/portals_dir: for many "+
			"(move the portal: section into portals: as its first entry)")
	}
	return true, nil
}

// place is where a portal entry is written, for messages naming two.
type place struct {
	file string
	line int
}

func (pl place) String() string { return fmt.Sprintf("%s:%d", pl.file, pl.line) }

// loadPortals reads portals_dir's files after portals:'s entries, checks
// every entry and the names, and builds the portals' scopes. c.Portal
// becomes the first portal.
func (c *Config) loadPortals(p problems, dir string) error {
	if p.lines["portals"] > 0 && len(c.Portals) == 0 {
		return p.bad("portals", "the list is empty: give at least one portal entry (or use portal: for one portal)")
	}
	seen := map[string]place{}
	for i := range c.Portals {
		prefix := fmt.Sprintf("portals[%d]", i)
		ep := problems{file: p.file, lines: p.lines, fallback: p.lines[prefix]}
		if err := c.checkEntry(ep, prefix+".", &c.Portals[i], seen); err != nil {
			return err
		}
	}
	if p.lines["portals_dir"] > 0 {
		if err := c.loadPortalsDir(p, dir, seen); err != nil {
			return err
		}
	}
	c.Portal = c.Portals[0].Portal.clone()
	c.scope = newScopeIndex(c.Portals)
	c.warns = c.scope.overlaps()
	return nil
}

// checkEntry validates one entry whose keys are under prefix, fills in
// its defaults and records its name in seen (a name seen before is an
// error naming both places).
func (c *Config) checkEntry(p problems, prefix string, e *PortalEntry, seen map[string]place) error {
	nameKey := prefix + "name"
	if e.Name == "" {
		return p.bad(nameKey, "a portal needs a name (letters, digits, '-', '_', '.'): it keys the portal's records in the archive")
	}
	if !ValidPortalName(e.Name) {
		return p.bad(nameKey, "portal name %q: use only letters, digits, '-', '_' and '.' (it keys the archive and labels metrics)", e.Name)
	}
	here := place{p.file, p.line(nameKey)}
	if first, dup := seen[e.Name]; dup {
		return p.bad(nameKey, "portal %q is defined twice: at %s and here, at %s; names must be unique", e.Name, first, here)
	}
	seen[e.Name] = here
	if e.Timezone == "" {
		e.Timezone = Default().Portal.Timezone
	}
	if err := e.Portal.validateUnder(p, prefix); err != nil {
		return err
	}
	merged := e.Crawl.Apply(c.Crawl)
	if err := merged.validateUnder(p, prefix+"crawl."); err != nil {
		return err
	}
	return checkCadence(p, prefix+"cadence", prefix+"start_urls", e.Cadence, e.StartURLs)
}

// loadPortalsDir reads portals_dir (relative to dir): each *.yaml/*.yml
// file, in lexical order, is one entry appended to c.Portals. Files whose
// name starts with '.' are skipped (editors' backups).
func (c *Config) loadPortalsDir(p problems, dir string, seen map[string]place) error {
	if strings.TrimSpace(c.PortalsDir) == "" {
		return p.bad("portals_dir", "must name a directory (relative to the config file's directory)")
	}
	path := c.PortalsDir
	if !filepath.IsAbs(path) {
		path = filepath.Join(dir, path)
	}
	files, err := os.ReadDir(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return p.bad("portals_dir", "no such directory: %s (portals_dir is relative to the config file's directory)", path)
	case err != nil:
		return p.bad("portals_dir", "%v", err)
	}
	n := 0
	for _, f := range files {
		name := f.Name()
		ext := filepath.Ext(name)
		if f.IsDir() || strings.HasPrefix(name, ".") || (ext != ".yaml" && ext != ".yml") {
			continue
		}
		e, err := c.loadPortalFile(filepath.Join(path, name), seen)
		if err != nil {
			return err
		}
		c.Portals = append(c.Portals, e)
		n++
	}
	if n == 0 {
		return p.bad("portals_dir", "no portal files (*.yaml, *.yml) in %s", path)
	}
	return nil
}

// loadPortalFile reads and checks one portals_dir file: an entry's keys
// at its top level. Its errors name that file.
func (c *Config) loadPortalFile(path string, seen map[string]place) (PortalEntry, error) {
	var e PortalEntry
	data, err := os.ReadFile(path)
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return e, &Error{File: path, Msg: pe.Err.Error()}
	} else if err != nil {
		return e, &Error{File: path, Msg: err.Error()}
	}
	lines, err := decodeStrict(data, path, &e)
	var ce *Error
	if errors.As(err, &ce) && ce.Key == "portal" && strings.HasPrefix(ce.Msg, "unknown key") {
		ce.Msg += " (a portals_dir file holds one portal's keys, name, start_urls, ..., at its top level, not under portal:)"
	}
	if err != nil {
		return e, err
	}
	if len(lines) == 0 {
		return e, &Error{File: path, Msg: "empty: a portals_dir file holds one portal's keys (name, start_urls, ...)"}
	}
	p := problems{file: path, lines: lines, fallback: firstLine(lines)}
	return e, c.checkEntry(p, "", &e, seen)
}

// firstLine is the line of a file's first key: where a missing key is
// reported.
func firstLine(lines map[string]int) int {
	first := 0
	for _, l := range lines {
		if first == 0 || l < first {
			first = l
		}
	}
	return first
}
