package sim

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/parc-archiver/parc/sim/internal/theme"
)

// content is the text of one article revision, derived on demand.
type content struct {
	title  string
	lead   string // empty unless the template prints a summary
	byline string
	paras  []string
	tags   []string // nil unless the template prints tags
	// image is the paragraph index after which a captioned picture
	// appears; -1 for none.
	image   int
	caption string
}

const partByline = 5

func (p *Portal) byline(gen int32) string {
	if gen == 0 {
		return p.seed.byline
	}
	return pick(p.rng(gen, partByline), bylines)
}

// title returns the current title: the original, replaced by every odd
// revision.
func (p *Portal) title(e *entry) string {
	t := p.originalTitle(e.gen)
	for j := uint16(1); j <= e.rev; j += 2 {
		nt := genTitle(p.rng(e.gen, partEdit+uint64(j)))
		if nt == t {
			nt += " (cập nhật)"
		}
		t = nt
	}
	return t
}

// summary is the short text listings show under a title.
func (p *Portal) summary(e *entry, layout Layout) string {
	if layout == LayoutVIEApps && e.gen != 0 {
		return genLead(p.rng(e.gen, partLead))
	}
	first := ""
	if e.gen == 0 {
		first = p.seed.paras[0]
	} else {
		// the first paragraph of content: skip its draw of the
		// paragraph count
		r := p.rng(e.gen, partBody)
		_ = r.IntN(10)
		first = genParagraph(r)
	}
	words := strings.Fields(first)
	if len(words) > 30 {
		return strings.Join(words[:30], " ") + "..."
	}
	return first
}

// content derives an entry's text as rendered with layout's templates.
func (p *Portal) content(e *entry, layout Layout) content {
	c := content{title: p.title(e), byline: p.byline(e.gen), image: -1}
	if e.gen == 0 {
		c.paras = append([]string(nil), p.seed.paras...)
	} else {
		r := p.rng(e.gen, partBody)
		n := 3 + r.IntN(10)
		c.paras = make([]string, n)
		for i := range c.paras {
			c.paras[i] = genParagraph(r)
		}
		if r.IntN(3) > 0 {
			c.image = r.IntN(n)
			c.caption = upperFirst(pick(r, objects)) + " " + pick(r, complements) + ". (Ảnh: " + pick(r, bylines) + ")"
		}
		if layout == LayoutVIEApps || layout == LayoutGenerated && !p.theme.Is(theme.Standfirst, "none") {
			c.lead = genLead(p.rng(e.gen, partLead))
		}
		if layout == LayoutVIEApps || layout == LayoutGenerated && !p.theme.Is(theme.Tags, "none") {
			c.tags = genTags(p.rng(e.gen, partLead+16))
		}
	}
	if layout == LayoutGenerated {
		c.byline = p.themeByline(c.byline)
	}
	for j := uint16(2); j <= e.rev; j += 2 {
		r := p.rng(e.gen, partEdit+uint64(j))
		i := r.IntN(len(c.paras))
		np := genParagraph(r)
		if np == c.paras[i] {
			np += " Bài viết đã được cập nhật."
		}
		c.paras[i] = np
	}
	return c
}

// themeByline is the byline as the generated theme prints it: absent,
// in upper case, or names in title case ("Hồng Liên"; agency credits and
// all-capital abbreviations such as PV and TTXVN kept).
func (p *Portal) themeByline(b string) string {
	switch {
	case p.theme.Is(theme.Byline, "absent"):
		return ""
	case p.theme.Is(theme.Byline, "end_upper") || p.theme.Is(theme.BylineCase, "upper"):
		return strings.ToUpper(b)
	case isCredit(b):
		return b
	}
	words := strings.Fields(b)
	for i, w := range words {
		if utf8.RuneCountInString(w) <= 2 && len(words) == 1 {
			continue // "PV"
		}
		r, n := utf8.DecodeRuneInString(w)
		words[i] = string(unicode.ToUpper(r)) + strings.ToLower(w[n:])
	}
	return strings.Join(words, " ")
}

// isCredit reports an agency or repost credit ("Theo TTXVN").
func isCredit(b string) bool { return len(b) > 5 && strings.EqualFold(b[:5], "Theo ") }
