package discover

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
)

// yq single-quotes a YAML scalar.
func yq(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// WriteYAML writes the portal entry: the keys of config.yaml's portal:
// at the top level (one file of portals_dir:, or the block to put under
// portal:).
func (r *Result) WriteYAML(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "# written by parc portal add %s\n", r.StartURL)
	fmt.Fprintf(bw, "name: %s\n", yq(r.Name))
	fmt.Fprintf(bw, "start_urls: [%s]\n", yq(r.StartURL))
	doms := make([]string, len(r.AllowedDomains))
	for i, d := range r.AllowedDomains {
		doms[i] = yq(d)
	}
	fmt.Fprintf(bw, "allowed_domains: [%s]\n", strings.Join(doms, ", "))
	fmt.Fprintf(bw, "# %d article URLs seen match; %d listing URLs\n", r.Article.Matched, r.Listing.Matched)
	fmt.Fprintf(bw, "article_url: %s\n", yq(r.Article.Regexp))
	fmt.Fprintf(bw, "listing_url: %s\n", yq(r.Listing.Regexp))
	if r.Learned != nil {
		var sel bytes.Buffer
		if err := r.Learned.WriteYAML(&sel); err != nil {
			return err
		}
		bw.Write(sel.Bytes())
	}
	fmt.Fprintf(bw, "# %s\n", r.TimezoneWhy)
	fmt.Fprintf(bw, "timezone: %s\n", yq(r.Timezone))
	return bw.Flush()
}

// WriteReport writes what was fetched and found, for standard error.
func (r *Result) WriteReport(w io.Writer) {
	fmt.Fprintf(w, "portal add: %d pages fetched, %d read as articles\n", r.Fetched, r.ArticlePages)
	for _, c := range r.Clusters {
		if c.Sampled == 0 && c.Kind == "" {
			continue
		}
		kind := c.Kind
		if kind == "" {
			kind = "neither"
		}
		fmt.Fprintf(w, "portal add: links /%s: %d URLs, %d fetched, %d read as articles, %.1f article links a page: %s\n",
			c.Pattern, c.URLs, c.Sampled, c.ArticleLike, c.MeanArticleLink, kind)
	}
	fmt.Fprintf(w, "portal add: article_url matches %d URLs seen: %s\n", r.Article.Matched, r.Article.Regexp)
	fmt.Fprintf(w, "portal add: listing_url matches %d URLs seen: %s\n", r.Listing.Matched, r.Listing.Regexp)
	if r.Learned != nil {
		r.Learned.WriteReport(w)
	}
	if r.Timezone != "" {
		fmt.Fprintf(w, "portal add: timezone %s: %s\n", r.Timezone, r.TimezoneWhy)
	}
}
