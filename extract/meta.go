package extract

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/parc-archiver/parc/extract/internal/byname"
	"github.com/parc-archiver/parc/extract/internal/titlematch"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// pageMeta is the machine-readable metadata of a page.
type pageMeta struct {
	meta       map[string]string // lower-case name/property/itemprop -> first content
	canonical  string
	title      string // <title>
	ldTitle    string
	ldAuthor   string
	lastAuthor string // the last meta[name=author], the one go-readability keeps
	ldPub      string
	ldMod      string
	ldSiteName string
	logoAlt    string // alt text of the first image whose class, id or parent's names a logo
}

// readMeta collects <meta>, <link rel=canonical>, <title> and JSON-LD in one
// pass over the document.
func readMeta(doc *html.Node) *pageMeta {
	m := &pageMeta{meta: make(map[string]string, 16)}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			switch c.DataAtom {
			case atom.Meta:
				content := attr(c, "content")
				if content == "" {
					continue
				}
				for _, k := range []string{"property", "name", "itemprop"} {
					if v := strings.ToLower(strings.TrimSpace(attr(c, k))); v != "" {
						m.add(v, strings.TrimSpace(content))
					}
				}
				continue
			case atom.Link:
				if m.canonical == "" && strings.EqualFold(strings.TrimSpace(attr(c, "rel")), "canonical") {
					m.canonical = strings.TrimSpace(attr(c, "href"))
				}
				continue
			case atom.Title:
				if m.title == "" && c.Parent != nil && c.Parent.DataAtom != atom.Svg {
					m.title = nodeTextRaw(c)
				}
				continue
			case atom.Script:
				if strings.Contains(strings.ToLower(attr(c, "type")), "ld+json") && c.FirstChild != nil {
					m.readJSONLD(c.FirstChild.Data)
				}
				continue
			case atom.Img:
				if m.logoAlt == "" && (containsAny(classID(c), "logo") || c.Parent != nil && containsAny(classID(c.Parent), "logo")) {
					m.logoAlt = cleanText(attr(c, "alt"))
				}
				continue
			case atom.Style, atom.Noscript, atom.Template:
				continue
			}
			walk(c)
		}
	}
	walk(doc)
	return m
}

// add records a meta tag's content: the first for a name, but every
// author (one meta[name=author] per author) joined with ", ".
func (m *pageMeta) add(name, content string) {
	if name == "author" {
		m.lastAuthor = content
	}
	prev, ok := m.meta[name]
	switch {
	case !ok:
		m.meta[name] = content
	case name == "author" && byname.NotName(prev):
		m.meta[name] = content // a photo credit in the first author tag
	case name == "author" && byname.NotName(content):
	case name == "author" && content != prev && !strings.Contains(prev, content) && strings.Count(prev, ", ") < 3:
		m.meta[name] = prev + ", " + content
	}
}

func nodeTextRaw(n *html.Node) string {
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	}
	return cleanText(b.String())
}

func (m *pageMeta) readJSONLD(s string) {
	s = strings.TrimSpace(s)
	s = strings.TrimSuffix(strings.TrimPrefix(s, "<![CDATA["), "]]>")
	if len(s) > 1<<20 {
		return
	}
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		return
	}
	m.walkLD(v, 0)
}

func (m *pageMeta) walkLD(v any, depth int) {
	if depth > 8 {
		return
	}
	switch t := v.(type) {
	case []any:
		for _, e := range t {
			m.walkLD(e, depth+1)
		}
	case map[string]any:
		typ := ldString(t["@type"])
		articleLike := strings.Contains(typ, "Article") || strings.Contains(typ, "Posting") || typ == "Report" || typ == "WebPage"
		if articleLike || t["datePublished"] != nil {
			if m.ldPub == "" {
				m.ldPub = ldString(t["datePublished"])
			}
			if m.ldMod == "" {
				m.ldMod = ldString(t["dateModified"])
			}
			if m.ldTitle == "" && typ != "WebPage" {
				m.ldTitle = ldString(t["headline"])
			}
			if m.ldAuthor == "" {
				m.ldAuthor = ldName(t["author"])
			}
			if m.ldSiteName == "" {
				m.ldSiteName = ldName(t["publisher"])
			}
		}
		if typ == "Organization" || typ == "NewsMediaOrganization" || typ == "WebSite" {
			if m.ldSiteName == "" {
				m.ldSiteName = ldString(t["name"])
			}
		}
		if g, ok := t["@graph"]; ok {
			m.walkLD(g, depth+1)
		}
	}
}

func ldString(v any) string {
	switch t := v.(type) {
	case string:
		return strings.TrimSpace(t)
	case []any:
		if len(t) > 0 {
			return ldString(t[0])
		}
	case float64:
		if t > 0 && t < 1e11 {
			return strconv.FormatInt(int64(t), 10)
		}
	}
	return ""
}

// ldName returns the name(s) of a JSON-LD person/organisation value.
func ldName(v any) string {
	switch t := v.(type) {
	case string:
		return cleanText(t)
	case map[string]any:
		return cleanText(ldString(t["name"]))
	case []any:
		var names []string
		for _, e := range t {
			if n := ldName(e); n != "" && !containsString(names, n) {
				names = append(names, n)
			}
			if len(names) == 4 {
				break
			}
		}
		return strings.Join(names, ", ")
	}
	return ""
}

// siteName is the page's idea of the site's name.
func (m *pageMeta) siteName() string {
	for _, k := range []string{"og:site_name", "application-name", "twitter:site"} {
		if v := m.meta[k]; v != "" {
			return strings.TrimPrefix(v, "@")
		}
	}
	return m.ldSiteName
}

// isSiteName reports whether s names the site rather than a person (see
// titlematch.IsSiteName).
func isSiteName(s, site, host string) bool { return titlematch.IsSiteName(s, site, host) }
