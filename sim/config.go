package sim

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Profile selectors Config emits: each is a comma-joined group covering
// both vendor layouts (VIEPortal first, VIEApps second).
const (
	SelTitle     = `div.NewsDetail > h1.Title, div.cms.view.content > h2`
	SelPublished = `div.NewsDetail > div.DateTime, div.cms.view.content > div.meta > section > span`
	SelBody      = `div.NewsDetail > div.Content, div.cms.view.content > section`
	SelByline    = `div.NewsDetail > div.Content > p[style*="right"], div.cms.view.content > div.meta > span > label`
	SelCategory  = `div.Breadcrumb > a:last-child, ul.cms.breadcrumbs > li:last-child > a`
)

// RemoveSelectors are the boilerplate selectors of Config's profile.
func RemoveSelectors() []string {
	return []string{
		"div.SponsorLinks", "div.Tools", "div.OtherNews", "table.image", "figure",
		"div.cms.view.content > div.info", "div.cms.view.content > div.tags",
		"div.cms.view.relateds", "div.cms.view.others", "script", "style", "iframe",
	}
}

// URLPatterns returns the article_url and listing_url regexps for a portal
// served at baseURL (scheme://host[:port]).
func URLPatterns(baseURL string) (article, listing string) {
	host := baseURL
	if u, err := url.Parse(baseURL); err == nil && u.Host != "" {
		host = strings.ToLower(u.Host)
	}
	h := `^https?://` + regexp.QuoteMeta(host) + `/`
	article = h + `(?:(?i:desktop\.aspx/tin-tuc/[a-z0-9-]+/[a-z0-9_]+/?)|nd/[a-z0-9-]+/[a-z0-9-]*[a-z][a-z0-9-]*\.html)(?:\?[^#]*)?$`
	listing = h + `(?:(?i:default\.aspx)?|(?i:desktop\.aspx/tin-tuc/[a-z0-9-]+/?)(?:\?page=\d+)?|nd/[a-z0-9-]+(?:/\d+)?\.html)$`
	return article, listing
}

// yq single-quotes a YAML scalar.
func yq(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// writeSelectors writes the profile's selectors: the vendors' templates.
func writeSelectors(b *strings.Builder) {
	b.WriteString("  selectors:\n")
	b.WriteString("    title: " + yq(SelTitle) + "\n")
	b.WriteString("    published: " + yq(SelPublished) + "\n")
	b.WriteString("    body: " + yq(SelBody) + "\n")
	b.WriteString("    byline: " + yq(SelByline) + "\n")
	b.WriteString("    category: " + yq(SelCategory) + "\n")
	b.WriteString("    remove:\n")
	for _, s := range RemoveSelectors() {
		b.WriteString("      - " + yq(s) + "\n")
	}
}

// Config returns a complete parc config.yaml (docs/CONTRACT.md schema) for this
// portal served at baseURL (e.g. "http://127.0.0.1:8080"); with
// LayoutGenerated it has no selectors (generic extraction). In faults mode
// crawl.timeout is half of Options.SlowDelay so the slow page times out.
func (p *Portal) Config(baseURL string) string {
	baseURL = strings.TrimRight(baseURL, "/")
	host := baseURL
	if u, err := url.Parse(baseURL); err == nil && u.Host != "" {
		host = u.Hostname()
	}
	article, listing := URLPatterns(baseURL)
	timeout := 10 * time.Second
	if p.opts.Faults {
		timeout = p.opts.SlowDelay / 2
	}
	var b strings.Builder
	b.WriteString("# parc profile for the simulated portal (package sim)\n")
	b.WriteString("portal:\n  name: vinachem-sim\n")
	b.WriteString("  start_urls: [" + yq(baseURL+"/") + "]\n")
	b.WriteString("  allowed_domains: [" + yq(host) + "]\n")
	b.WriteString("  article_url: " + yq(article) + "\n")
	b.WriteString("  listing_url: " + yq(listing) + "\n")
	if p.opts.Layout == LayoutGenerated {
		b.WriteString("  # generated theme (seed " + strconv.FormatInt(p.opts.Seed, 10) + "): no selectors, generic extraction\n")
	} else {
		writeSelectors(&b)
	}
	b.WriteString("  timezone: Asia/Ho_Chi_Minh\n")
	b.WriteString("crawl:\n  user_agent: 'parc/dev (+https://github.com/parc-archiver/parc)'\n")
	b.WriteString("  delay: 0s\n  parallelism: 4\n  timeout: " + timeout.String() + "\n")
	b.WriteString("  retries: 3\n  max_redirects: 10\n  respect_robots: true\n  max_pages: 0\n  max_body_bytes: 10485760\n  every: 30m\n")
	b.WriteString("archive:\n  path: ./parc.db\n  keep_raw: true\n")
	b.WriteString("notify:\n  webhooks: []\n")
	return b.String()
}
