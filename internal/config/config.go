// Package config reads config.yaml strictly: unknown keys, bad regexps,
// bad selectors, bad durations and missing required values are reported
// as *Error naming the file, the line and the key. Every key but
// portal.start_urls has a default (see Default). A config names one
// portal (portal:) or many (portals:, portals_dir:; portals.go), and
// PortalConfigs gives one single-portal view per portal (views.go).
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/parc-archiver/parc/crawler"
	"github.com/parc-archiver/parc/extract"
	"github.com/parc-archiver/parc/monitor"
	"go.yaml.in/yaml/v3"
)

// Config is the whole of config.yaml.
//
// A config names one portal (portal:) or many (portals: and/or
// portals_dir:, see portals.go); PortalConfigs gives one single-portal
// view per portal either way.
type Config struct {
	// Portal is the one portal of the single form. In the multi-portal
	// form it is the first portal, for code that knows one portal only:
	// use PortalConfigs there.
	Portal Portal `yaml:"portal"`
	// Portals are the entries of portals:, validated, followed after
	// Parse by those read from PortalsDir (lexical order). Empty in the
	// single form and in views.
	Portals []PortalEntry `yaml:"portals"`
	// PortalsDir is portals_dir: as written (relative to the config
	// file's directory); each *.yaml/*.yml file in it is one entry.
	PortalsDir string  `yaml:"portals_dir"`
	Crawl      Crawl   `yaml:"crawl"`
	Archive    Archive `yaml:"archive"`
	Notify     Notify  `yaml:"notify"`
	Watch      Watch   `yaml:"watch"`

	file  string      // the config file's name, for errors after Parse
	scope *scopeIndex // the portals' scopes, shared read-only by the views
	index int         // in a view: its portal's place in scope
	warns []string    // Warnings
}

// Portal describes the site to archive.
type Portal struct {
	Name           string    `yaml:"name"`
	StartURLs      []string  `yaml:"start_urls"`
	AllowedDomains []string  `yaml:"allowed_domains"`
	ArticleURL     string    `yaml:"article_url"`
	ListingURL     string    `yaml:"listing_url"`
	Selectors      Selectors `yaml:"selectors"`
	Timezone       string    `yaml:"timezone"`

	articleRE, listingRE *regexp.Regexp
	loc                  *time.Location
}

// Selectors are the profile's CSS selectors.
type Selectors struct {
	Title     string   `yaml:"title"`
	Published string   `yaml:"published"`
	Modified  string   `yaml:"modified"`
	Body      string   `yaml:"body"`
	Byline    string   `yaml:"byline"`
	Category  string   `yaml:"category"`
	Lead      string   `yaml:"lead"`
	Tags      string   `yaml:"tags"`
	Remove    []string `yaml:"remove"`
}

// Crawl holds politeness and limits.
type Crawl struct {
	UserAgent     string   `yaml:"user_agent"`
	Delay         Duration `yaml:"delay"`
	Parallelism   int      `yaml:"parallelism"`
	Timeout       Duration `yaml:"timeout"`
	Retries       int      `yaml:"retries"`
	MaxRedirects  int      `yaml:"max_redirects"`
	RespectRobots bool     `yaml:"respect_robots"`
	MaxPages      int      `yaml:"max_pages"`
	MaxBodyBytes  int64    `yaml:"max_body_bytes"`
	// MaxLinksPerPage: the links of a page looked at; the rest are counted.
	MaxLinksPerPage int `yaml:"max_links_per_page"`
	// MaxNewURLsPerRun: the URLs a run may queue; links to more are counted.
	MaxNewURLsPerRun int      `yaml:"max_new_urls_per_run"`
	Every            Duration `yaml:"every"`
	// MaxCrawlDelay caps robots.txt's Crawl-delay; 0 ignores Crawl-delay.
	MaxCrawlDelay Duration `yaml:"max_crawl_delay"`
	// Backoff is the first retry's delay, doubled (with jitter) per retry.
	Backoff Duration `yaml:"backoff"`
	// RevisitAfter: an archived article that a walked page links is
	// refetched (conditionally) when parc last fetched it longer ago than
	// this; 0 never (only --refresh revisits).
	RevisitAfter Duration `yaml:"revisit_after"`
}

// Archive says where the archive lives.
type Archive struct {
	Path string `yaml:"path"`
	// KeepRaw: false, true (article responses) or all (every response).
	KeepRaw RawMode `yaml:"keep_raw"`
}

// Notify lists where new articles are announced, and when.
type Notify struct {
	Webhooks []Webhook `yaml:"webhooks"`
	// Revisions also announces new revisions (article.revised).
	Revisions bool `yaml:"revisions"`
	// DriftThreshold is the share (0 < x <= 1) of a run's articles that
	// may be extracted by fallback, or lack a date or a byline, before the
	// profile_drift alarm goes off.
	DriftThreshold float64 `yaml:"drift_threshold"`
	// DriftMinArticles is the fewest articles a run must extract to be
	// judged for drift.
	DriftMinArticles int `yaml:"drift_min_articles"`
}

// Watch configures `parc watch` (crawl.every is its interval).
type Watch struct {
	// Listen is the HTTP address of /feed.atom, /metrics and /healthz.
	Listen string `yaml:"listen"`
	// Jitter delays each run by a random share (0..1) of crawl.every, at
	// most, so that many parc instances do not hit a portal in step.
	Jitter float64 `yaml:"jitter"`
	// HealthzMaxAge is how old the last successful crawl may be before
	// /healthz fails; 0 means three times crawl.every.
	HealthzMaxAge Duration `yaml:"healthz_max_age"`
	// FeedEntries is the number of newest articles in /feed.atom.
	FeedEntries int `yaml:"feed_entries"`
	// Cadence gives some start URLs their own interval (e.g. the newest
	// posts every 5m, an archive listing daily); the others use
	// crawl.every. Each URL must be one of portal.start_urls.
	Cadence []Cadence `yaml:"cadence"`
}

// Cadence is how often `parc watch` crawls from one start URL.
type Cadence struct {
	URL   string   `yaml:"url"`
	Every Duration `yaml:"every"`
}

// HealthMaxAge is watch.healthz_max_age, or three times crawl.every when
// unset.
func (c *Config) HealthMaxAge() time.Duration {
	if c.Watch.HealthzMaxAge > 0 {
		return c.Watch.HealthzMaxAge.D()
	}
	return 3 * c.Crawl.Every.D()
}

// Webhook is one HTTP endpoint that receives signed JSON events.
type Webhook struct {
	URL    string `yaml:"url"`
	Secret string `yaml:"secret"`
}

// Duration is a time.Duration written as "1s", "30m".
type Duration time.Duration

// UnmarshalYAML parses a Go duration string.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := time.ParseDuration(strings.TrimSpace(n.Value))
	if err != nil || v < 0 {
		return &Error{Line: n.Line, Msg: fmt.Sprintf("bad duration %q (want e.g. 1s, 500ms, 30m)", n.Value)}
	}
	*d = Duration(v)
	return nil
}

// MarshalYAML writes d as UnmarshalYAML reads it ("1s", "30m0s").
func (d Duration) MarshalYAML() (any, error) { return time.Duration(d).String(), nil }

// D returns d as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// Default returns the configuration used for every key the file omits.
// The crawl section's defaults are the crawler's (crawler.DefaultOptions)
// and the drift rule's are the monitor's (monitor.DefaultDrift): each
// default is written once, where the option lives.
func Default() Config {
	co, dr := crawler.DefaultOptions(), monitor.DefaultDrift()
	return Config{
		Portal: Portal{Name: "portal", Timezone: "Asia/Ho_Chi_Minh"},
		Crawl: Crawl{
			UserAgent:        "parc/" + Version + " (+https://github.com/parc-archiver/parc)",
			Delay:            Duration(co.Delay),
			Parallelism:      co.Parallelism,
			Timeout:          Duration(co.Timeout),
			Retries:          co.Retries,
			MaxRedirects:     co.MaxRedirects,
			RespectRobots:    co.RespectRobots,
			MaxPages:         co.MaxPages,
			MaxBodyBytes:     co.MaxBodyBytes,
			MaxLinksPerPage:  co.MaxLinksPerPage,
			MaxNewURLsPerRun: co.MaxNewURLsPerRun,
			Every:            Duration(30 * time.Minute),
			MaxCrawlDelay:    Duration(co.MaxCrawlDelay),
			Backoff:          Duration(co.BackoffBase),
		},
		Archive: Archive{Path: "./parc.db", KeepRaw: RawArticles},
		Notify:  Notify{DriftThreshold: dr.Threshold, DriftMinArticles: dr.MinArticles},
		Watch:   Watch{Listen: "127.0.0.1:8080", Jitter: 0.1, FeedEntries: 50},
	}
}

// Version is parc's version, printed in the User-Agent and provenance.
const Version = "0.4.0"

// Error is a configuration problem at a place in a file.
type Error struct {
	File string
	Line int    // 0 when unknown
	Key  string // dotted path, e.g. "crawl.delay"
	Msg  string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	if e.Key != "" {
		b.WriteString(": " + e.Key)
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Parse reads a config from r; name is the file name used in errors, and
// portals_dir is resolved relative to name's directory.
func Parse(r io.Reader, name string) (*Config, error) {
	return ParseIn(r, name, filepath.Dir(name))
}

// ParseFile reads the config file at path (portals_dir relative to its
// directory).
func ParseFile(path string) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the path is the Error's File already
		}
		return nil, &Error{File: path, Msg: err.Error()}
	}
	defer f.Close()
	return Parse(f, path)
}

// ParseIn is Parse with portals_dir resolved relative to dir, for a
// config that does not come from a file in its own directory.
func ParseIn(r io.Reader, name, dir string) (*Config, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	cfg := Default()
	lines, err := decodeStrict(data, name, &cfg)
	if err != nil {
		return nil, err
	}
	cfg.file = name
	if err := cfg.validate(name, dir, lines); err != nil {
		return nil, err
	}
	return &cfg, nil
}

// decodeStrict decodes data into v, refusing unknown keys, and returns
// the line of every key path (index). An error is an *Error naming file.
func decodeStrict(data []byte, file string, v any) (map[string]int, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, toError(file, err, nil)
	}
	keys := map[int]string{}
	lines := map[string]int{}
	index(&root, "", keys, lines)
	if len(bytes.TrimSpace(data)) > 0 {
		dec := yaml.NewDecoder(bytes.NewReader(data))
		dec.KnownFields(true)
		if err := dec.Decode(v); err != nil && !errors.Is(err, io.EOF) {
			return nil, toError(file, err, keys)
		}
	}
	return lines, nil
}

var (
	lineRE         = regexp.MustCompile(`line (\d+): (.*)`)
	unknownFieldRE = regexp.MustCompile(`field (\S+) not found in type (\S+)`)
)

// toError turns a yaml error into an *Error, finding the key at its line.
func toError(file string, err error, keys map[int]string) error {
	var ce *Error
	if errors.As(err, &ce) {
		ce.File = file
		if ce.Key == "" {
			ce.Key = keys[ce.Line]
		}
		return ce
	}
	msg := err.Error()
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	if m := lineRE.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		text := m[2]
		if f := unknownFieldRE.FindStringSubmatch(text); f != nil {
			text = "unknown key " + strconv.Quote(f[1]) + unknownKeyHint(f[2])
		}
		return &Error{File: file, Line: line, Key: keys[line], Msg: text}
	}
	return &Error{File: file, Msg: msg}
}

// index records, for every mapping key, its dotted path by line and its
// line by path.
func index(n *yaml.Node, prefix string, keys map[int]string, lines map[string]int) {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			index(c, prefix, keys, lines)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			path := k.Value
			if prefix != "" {
				path = prefix + "." + k.Value
			}
			keys[k.Line] = path
			lines[path] = k.Line
			if v.Line != k.Line {
				keys[v.Line] = path
			}
			index(v, path, keys, lines)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			path := fmt.Sprintf("%s[%d]", prefix, i)
			if _, ok := keys[c.Line]; !ok || c.Kind == yaml.ScalarNode {
				keys[c.Line] = path
			}
			lines[path] = c.Line
			index(c, path, keys, lines)
		}
	}
}

// problems builds the *Error of a bad value, at the line of its key (or
// of the nearest enclosing key that has one, else at fallback).
type problems struct {
	file     string
	lines    map[string]int
	fallback int
}

func (p problems) bad(key, format string, args ...any) error {
	return &Error{File: p.file, Line: p.line(key), Key: key, Msg: fmt.Sprintf(format, args...)}
}

// line is the line of key, or of the nearest enclosing key that has one,
// else fallback.
func (p problems) line(key string) int {
	line := p.lines[key]
	for k := key; line == 0 && strings.Contains(k, "."); {
		k = k[:strings.LastIndex(k, ".")]
		line = p.lines[k]
	}
	if line == 0 {
		line = p.fallback
	}
	return line
}

// validate checks every section, filling in what derives from other keys
// (allowed domains, compiled patterns, the time zone), then reads and
// checks the portals of the multi-portal form (dir: where portals_dir is).
func (c *Config) validate(file, dir string, lines map[string]int) error {
	p := problems{file: file, lines: lines}
	multi, err := c.checkForm(p)
	if err != nil {
		return err
	}
	checks := []func(problems) error{c.Crawl.validate, c.validateArchiveAndNotify, c.validateWatch}
	if !multi {
		checks = append([]func(problems) error{c.Portal.validate}, checks...)
	}
	for _, check := range checks {
		if err := check(p); err != nil {
			return err
		}
	}
	if multi {
		return c.loadPortals(p, dir)
	}
	return nil
}

// validate checks the single form's portal: section, compiling its
// patterns and loading its time zone.
func (pt *Portal) validate(p problems) error {
	return pt.validateUnder(p, "portal.")
}

// validateUnder is validate for a portal whose keys are under prefix
// ("portals[1]." for an entry of portals:, "" in a portals_dir file).
func (pt *Portal) validateUnder(p problems, prefix string) error {
	for _, check := range []func(problems, string) error{
		pt.validateURLs, pt.validatePatterns, pt.validateSelectors, pt.validateTimezone,
	} {
		if err := check(p, prefix); err != nil {
			return err
		}
	}
	return nil
}

// validateURLs checks the start URLs and the allowed domains (by default
// the start URLs' hosts; a port is ignored).
func (pt *Portal) validateURLs(p problems, prefix string) error {
	if len(pt.StartURLs) == 0 {
		return p.bad(prefix+"start_urls", "at least one start URL is required")
	}
	for i, s := range pt.StartURLs {
		u, err := url.Parse(s)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return p.bad(fmt.Sprintf("%sstart_urls[%d]", prefix, i), "not an absolute http(s) URL: %q", s)
		}
	}
	if len(pt.AllowedDomains) == 0 {
		for _, s := range pt.StartURLs {
			u, _ := url.Parse(s)
			pt.AllowedDomains = append(pt.AllowedDomains, u.Hostname())
		}
	}
	for i, d := range pt.AllowedDomains {
		h := strings.ToLower(strings.TrimSpace(d))
		if u, err := url.Parse("http://" + h); err == nil && u.Hostname() != "" {
			h = u.Hostname() // "host:port" → host: a port is ignored
		}
		if h == "" || strings.ContainsAny(h, "/ ") {
			return p.bad(fmt.Sprintf("%sallowed_domains[%d]", prefix, i), "not a host name: %q", d)
		}
		pt.AllowedDomains[i] = h
	}
	return nil
}

// validatePatterns compiles the URL patterns.
func (pt *Portal) validatePatterns(p problems, prefix string) error {
	var err error
	if pt.articleRE, err = compileRE(pt.ArticleURL); err != nil {
		return p.bad(prefix+"article_url", "bad regexp: %v", err)
	}
	if pt.listingRE, err = compileRE(pt.ListingURL); err != nil {
		return p.bad(prefix+"listing_url", "bad regexp: %v", err)
	}
	return nil
}

// validateTimezone loads the portal's time zone.
func (pt *Portal) validateTimezone(p problems, prefix string) error {
	var err error
	if pt.loc, err = time.LoadLocation(pt.Timezone); err != nil {
		return p.bad(prefix+"timezone", "unknown time zone %q", pt.Timezone)
	}
	return nil
}

// validateSelectors checks that every selector compiles, with the
// compiler extraction uses. A selector of only white space, or an empty
// entry of remove, is a mistake rather than "unset": it is refused too.
func (pt *Portal) validateSelectors(p problems, prefix string) error {
	s := pt.Selectors
	for _, f := range []struct{ key, sel string }{{"title", s.Title}, {"published", s.Published}, {"modified", s.Modified},
		{"body", s.Body}, {"byline", s.Byline}, {"category", s.Category}, {"lead", s.Lead}, {"tags", s.Tags}} {
		if f.sel != "" && strings.TrimSpace(f.sel) == "" {
			return p.bad(prefix+"selectors."+f.key, "empty selector %q", f.sel)
		}
	}
	for i, sel := range s.Remove {
		if strings.TrimSpace(sel) == "" {
			return p.bad(fmt.Sprintf("%sselectors.remove[%d]", prefix, i), "empty selector %q", sel)
		}
	}
	var se *extract.SelectorError
	if err := s.Profile().Validate(); errors.As(err, &se) {
		return p.bad(prefix+"selectors."+se.Field, "bad selector %q: %v", se.Selector, se.Err)
	} else if err != nil {
		return p.bad(prefix+"selectors", "%v", err)
	}
	return nil
}

// Profile is the selectors as extraction takes them.
func (s Selectors) Profile() extract.Profile {
	return extract.Profile{
		Title: s.Title, Published: s.Published, Modified: s.Modified, Byline: s.Byline, Body: s.Body,
		Category: s.Category, Lead: s.Lead, Tags: s.Tags, Remove: s.Remove,
	}
}

// validate checks the crawl section's limits (ranges.go has the ranges).
func (cr *Crawl) validate(p problems) error { return cr.validateUnder(p, "crawl.") }

// validateUnder is validate naming the keys under prefix (a portal
// entry's crawl: overrides).
func (cr *Crawl) validateUnder(p problems, prefix string) error {
	if strings.TrimSpace(cr.UserAgent) == "" {
		return p.bad(prefix+"user_agent", "must not be empty: parc identifies itself")
	}
	return cr.ranges(p, prefix)
}

// validateArchiveAndNotify checks the archive path, the webhooks and the
// drift rule.
func (c *Config) validateArchiveAndNotify(p problems) error {
	if c.Archive.Path == "" {
		return p.bad("archive.path", "must not be empty")
	}
	for i, w := range c.Notify.Webhooks {
		u, err := url.Parse(w.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return p.bad(fmt.Sprintf("notify.webhooks[%d].url", i), "not an absolute http(s) URL: %q", w.URL)
		}
	}
	return c.Notify.ranges(p)
}

// validateWatch checks the watch section (cadence URLs must be start URLs;
// with many portals, each portal has its own cadence:).
func (c *Config) validateWatch(p problems) error {
	wa := &c.Watch
	if _, port, err := net.SplitHostPort(wa.Listen); err != nil || port == "" {
		return p.bad("watch.listen", "not a host:port address: %q", wa.Listen)
	}
	if err := wa.ranges(p); err != nil {
		return err
	}
	if len(wa.Cadence) > 0 && c.multi(p) {
		return p.bad("watch.cadence", "with portals: or portals_dir:, each portal sets its own cadence: (in its entry)")
	}
	return checkCadence(p, "watch.cadence", "portal.start_urls", wa.Cadence, c.Portal.StartURLs)
}

// checkCadence checks cadence entries under key: each URL one of
// startURLs (named owner in the message), each interval positive.
func checkCadence(p problems, key, owner string, cadence []Cadence, startURLs []string) error {
	rs := make([]durRange, 0, len(cadence))
	for i, cd := range cadence {
		if !slices.Contains(startURLs, cd.URL) {
			return p.bad(fmt.Sprintf("%s[%d].url", key, i), "%q is not one of %s", cd.URL, owner)
		}
		rs = append(rs, durRange{fmt.Sprintf("%s[%d].every", key, i), cd.Every, maxLongDuration, true})
	}
	return checkDurations(p, rs)
}

func compileRE(s string) (*regexp.Regexp, error) {
	if s == "" {
		return nil, nil
	}
	return regexp.Compile(s)
}

// ArticleRE is the compiled portal.article_url (nil when empty).
func (p *Portal) ArticleRE() *regexp.Regexp { return p.articleRE }

// ListingRE is the compiled portal.listing_url (nil when empty).
func (p *Portal) ListingRE() *regexp.Regexp { return p.listingRE }

// Location is the portal's time zone.
func (p *Portal) Location() *time.Location { return p.loc }
