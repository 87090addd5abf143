package discover

import (
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// A path's shape is what clustering compares: the number of segments,
// which are numbers and which words, the last segment's suffix (".html")
// and whether the path ends in a slash. Paths of one shape form a
// Cluster; a position where the cluster's paths agree is kept literally
// in its pattern, the others become a class (digits, or a word that is
// not only digits).

// Cluster is the same-host paths of one shape.
type Cluster struct {
	// Key names the shape, e.g. "w/n/w.html" (w: word, n: number).
	Key string
	// Paths are the distinct paths (query dropped), in first-seen order.
	Paths []string
	// Pattern is the path part of the cluster's regexp: what follows the
	// origin's "/", without anchors.
	Pattern string
}

// pathShape is one path cut into segments.
type pathShape struct {
	segs   []string // the segments, the suffix cut off the last
	suffix string   // ".html", or ""
	slash  bool     // a trailing slash
}

// suffixRE is a file suffix worth keeping in a pattern.
var suffixRE = regexp.MustCompile(`(?i)\.(html?|aspx?|php|jsp|cfm|shtml)$`)

var digitsRE = regexp.MustCompile(`^\d+$`)

func shapeOf(path string) pathShape {
	var s pathShape
	p := strings.TrimPrefix(path, "/")
	if strings.HasSuffix(p, "/") {
		s.slash = true
		p = strings.TrimSuffix(p, "/")
	}
	if p == "" {
		return s
	}
	s.segs = strings.Split(p, "/")
	last := s.segs[len(s.segs)-1]
	if m := suffixRE.FindString(last); m != "" && len(m) < len(last) {
		s.suffix = strings.ToLower(m)
		s.segs[len(s.segs)-1] = last[:len(last)-len(m)]
	}
	return s
}

// key is the shape's name: a letter per segment and the suffix.
func (s pathShape) key() string {
	parts := make([]string, len(s.segs))
	for i, seg := range s.segs {
		parts[i] = "w"
		if digitsRE.MatchString(seg) {
			parts[i] = "n"
		}
	}
	return strings.Join(parts, "/") + s.suffix
}

// Clusters groups the paths of urls (absolute; other hosts' URLs are the
// caller's to leave out) by shape, biggest cluster first.
func Clusters(urls []string) []*Cluster {
	byKey := map[string]*Cluster{}
	shapes := map[string][]pathShape{}
	seen := map[string]bool{}
	var order []string
	for _, raw := range urls {
		u, err := url.Parse(raw)
		if err != nil {
			continue
		}
		p := u.EscapedPath()
		if p == "" {
			p = "/"
		}
		if seen[strings.ToLower(p)] {
			continue
		}
		seen[strings.ToLower(p)] = true
		s := shapeOf(p)
		k := s.key()
		c := byKey[k]
		if c == nil {
			c = &Cluster{Key: k}
			byKey[k] = c
			order = append(order, k)
		}
		c.Paths = append(c.Paths, p)
		shapes[k] = append(shapes[k], s)
	}
	out := make([]*Cluster, 0, len(order))
	for _, k := range order {
		c := byKey[k]
		c.Pattern = pattern(shapes[k])
		out = append(out, c)
	}
	sort.SliceStable(out, func(i, j int) bool { return len(out[i].Paths) > len(out[j].Paths) })
	return out
}

// wordClass is a path segment that is not only digits.
const wordClass = `[^/?#]*[^/?#0-9][^/?#]*`

// pattern is the path regexp of paths of one shape.
func pattern(shapes []pathShape) string {
	first := shapes[0]
	parts := make([]string, len(first.segs))
	dated := false
	for i := range first.segs {
		dated = dated || isYear(shapes, i)
	}
	for i := range first.segs {
		parts[i] = segmentPattern(shapes, i, dated)
	}
	p := strings.Join(parts, "/") + regexp.QuoteMeta(first.suffix)
	slash := false
	for _, s := range shapes {
		slash = slash || s.slash
	}
	if slash && len(parts) > 0 {
		p += "/?"
	}
	return p
}

// segmentPattern is position i's part of the pattern: the value itself
// when every path has the same one (letter case aside), else its class:
// a word, a year (\d{4}), in a dated path a month or day (\d{2} or
// \d{1,2}), else any number (ids and page numbers of one length are a
// coincidence).
func segmentPattern(shapes []pathShape, i int, dated bool) string {
	values := map[string]bool{}
	for _, s := range shapes {
		values[strings.ToLower(s.segs[i])] = true
	}
	v := shapes[0].segs[i]
	switch {
	case len(values) == 1:
		return regexp.QuoteMeta(v)
	case !digitsRE.MatchString(v):
		return wordClass
	case isYear(shapes, i):
		return `\d{4}`
	case dated && numbersUpTo(shapes, i, 31):
		if lengthsOf(shapes, i) == 2 {
			return `\d{2}`
		}
		return `\d{1,2}`
	}
	return `\d+`
}

// isYear reports whether position i holds years (1900-2099) on every path.
func isYear(shapes []pathShape, i int) bool {
	for _, s := range shapes {
		n, err := strconv.Atoi(s.segs[i])
		if err != nil || len(s.segs[i]) != 4 || n < 1900 || n > 2099 {
			return false
		}
	}
	return true
}

// numbersUpTo reports whether position i holds numbers of at most two
// digits up to max on every path.
func numbersUpTo(shapes []pathShape, i, max int) bool {
	for _, s := range shapes {
		n, err := strconv.Atoi(s.segs[i])
		if err != nil || len(s.segs[i]) > 2 || n > max {
			return false
		}
	}
	return true
}

// lengthsOf is the length of position i's values when they all have one,
// else 0.
func lengthsOf(shapes []pathShape, i int) int {
	n := len(shapes[0].segs[i])
	for _, s := range shapes {
		if len(s.segs[i]) != n {
			return 0
		}
	}
	return n
}

// Regexp is the anchored, case-insensitive regexp of absolute URLs whose
// path matches one of the path patterns, on origin (scheme and host, as
// "https://www.example.com"), with or without "www." and on http or
// https, with any query.
func Regexp(origin string, patterns []string) string {
	u, err := url.Parse(origin)
	host := origin
	if err == nil {
		host = u.Host
	}
	host = strings.TrimPrefix(strings.ToLower(host), "www.")
	alts := append([]string(nil), patterns...)
	sort.Strings(alts)
	return fmt.Sprintf(`(?i)^https?://(?:www\.)?%s/(?:%s)(?:\?[^#]*)?$`, regexp.QuoteMeta(host), strings.Join(alts, "|"))
}
