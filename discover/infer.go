package discover

import "strings"

// inference is what the clusters and the sampled pages say.
type inference struct {
	article, listing         []string // path patterns
	articleURLs, listingURLs int      // known URLs each matches
	isArticle, isListing     map[string]bool
	articlePaths             []string
	reports                  []ClusterReport
}

// An article cluster has at least minArticleCluster paths and most of its
// sampled pages read as articles; a smaller one is an article cluster
// when all its sampled pages read as articles with a publication time (a
// portal's odd article of another template, not an "about" page) and no
// path is below its paths (a section's page, "/news/", is no article
// when "/news/some-story" is known). A
// listing cluster's sampled pages link to minListingLinks article pages
// on average, and are no articles.
const (
	minArticleCluster = 3
	minListingLinks   = 3.0
)

// infer judges the clusters of the known links by the pages fetched.
func (s *sampler) infer() *inference {
	return inferClusters(s.clusters(), func(path string) *page { return s.pages[s.urlOf(path)] }, s.start.EscapedPath())
}

// inferClusters judges cs by the fetched pages (pageOf: nil when not
// fetched); home is the start URL's path, always a listing.
func inferClusters(cs []*Cluster, pageOf func(path string) *page, home string) *inference {
	inf := &inference{isArticle: map[string]bool{}, isListing: map[string]bool{}}
	parents := parentPaths(cs)
	articlePath := map[string]bool{}
	reports := make([]ClusterReport, len(cs))
	for i, c := range cs {
		r := ClusterReport{Key: c.Key, Pattern: c.Pattern, URLs: len(c.Paths)}
		for _, p := range c.Paths {
			if pg := pageOf(p); pg != nil && pg.ok {
				r.Sampled++
				if pg.articleLike {
					r.ArticleLike++
				}
			}
		}
		if isArticleCluster(c, r, pageOf, parents) {
			r.Kind = "article"
			inf.isArticle[c.Key] = true
			inf.article = append(inf.article, c.Pattern)
			inf.articleURLs += len(c.Paths)
			for _, p := range c.Paths {
				articlePath[strings.ToLower(p)] = true
				inf.articlePaths = append(inf.articlePaths, p)
			}
		}
		reports[i] = r
	}
	for i, c := range cs {
		r := &reports[i]
		if r.Kind != "" || r.Sampled == 0 {
			continue
		}
		links := 0
		for _, p := range c.Paths {
			if pg := pageOf(p); pg != nil && pg.ok {
				links += articleLinks(pg, articlePath)
			}
		}
		r.MeanArticleLink = float64(links) / float64(r.Sampled)
		if r.MeanArticleLink >= minListingLinks || containsFold(c.Paths, home) {
			r.Kind = "listing"
			inf.isListing[c.Key] = true
			inf.listing = append(inf.listing, c.Pattern)
			inf.listingURLs += len(c.Paths)
		}
	}
	inf.reports = reports
	return inf
}

// articleLinks counts the page's distinct links to article paths.
func articleLinks(pg *page, articlePath map[string]bool) int {
	seen := map[string]bool{}
	for _, l := range pg.links {
		p := strings.ToLower(pathOf(l))
		if articlePath[p] && !seen[p] {
			seen[p] = true
		}
	}
	return len(seen)
}

func containsFold(paths []string, p string) bool {
	for _, q := range paths {
		if strings.EqualFold(q, p) {
			return true
		}
	}
	return false
}

// isArticleCluster judges one cluster by its report r.
func isArticleCluster(c *Cluster, r ClusterReport, pageOf func(string) *page, parents map[string]bool) bool {
	if r.ArticleLike == 0 {
		return false
	}
	if len(c.Paths) >= minArticleCluster {
		return 3*r.ArticleLike >= 2*r.Sampled
	}
	for _, p := range c.Paths {
		if pg := pageOf(p); pg != nil && pg.ok && !(pg.articleLike && pg.dated) || parents[dirOf(p)] {
			return false
		}
	}
	return true
}

// dirOf is a path as a directory: lower-cased, without its trailing
// slash.
func dirOf(p string) string { return strings.TrimSuffix(strings.ToLower(p), "/") }

// parentPaths are the directories (dirOf) of the clusters' paths that
// another path is below.
func parentPaths(cs []*Cluster) map[string]bool {
	out := map[string]bool{}
	for _, c := range cs {
		for _, p := range c.Paths {
			d := dirOf(p)
			for i := strings.LastIndexByte(d, '/'); i > 0; i = strings.LastIndexByte(d, '/') {
				d = d[:i]
				out[d] = true
			}
		}
	}
	return out
}
