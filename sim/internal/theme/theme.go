// Package theme generates the site themes of the simulator's generated
// layout (sim.LayoutGenerated): from a seed, one value on every axis of a
// fixed table (Axes) and a set of class names in one of several
// vocabularies. Same seed, same theme; the generator is a PCG seeded from
// the seed alone, so no state is shared.
//
// The table of axes and ranges is the specification (docs/SIMULATOR.md
// repeats it). It is fixed independently of extraction: a seed on which
// extraction fails is an extraction bug, never a reason to narrow it.
package theme

import (
	"math/rand/v2"
	"strconv"
)

// Theme is one generated site theme.
type Theme struct {
	Seed int64
	// Values holds, per axis, the index of the chosen value in the
	// axis's Values.
	Values [numAxes]uint8
	// Names are the class names of the page's regions ("" for none).
	Names Names
	// Wraps are the class names of the BoxDepth wrappers around the
	// article box, outermost first; BodyWraps those around the body.
	Wraps, BodyWraps []string
}

// Names are a theme's class names, one per region of the page.
type Names struct {
	Box, Headline, Date, Byline, Body, Lead, Sponsor, Related, Tags string
	Crumb, Kicker, Meta, Caption, Header, Footer, Nav, Side, Main   string
	List, Item, Pager, Logo, TopDate, Para                          string
}

// V returns the name of the theme's value on axis a.
func (t *Theme) V(a AxisID) string { return axes[a].Values[t.Values[a]] }

// Is reports whether the theme's value on axis a is v.
func (t *Theme) Is(a AxisID, v string) bool { return t.V(a) == v }

// TemplateText is the line every article of the theme prints inside its
// text (template_line), the same on every page; "" for none.
func (t *Theme) TemplateText() string {
	switch t.V(TemplateLine) {
	case "promo_end":
		return "Mời quý độc giả theo dõi các chương trình của " + t.V(SiteName) + " trên kênh truyền hình trực tuyến!"
	case "promo_start":
		return "Bản tin do Ban Truyền thông " + t.V(SiteName) + " thực hiện, cập nhật hằng ngày."
	}
	return ""
}

// Generate derives the theme of a seed. Axes are drawn uniformly, then
// constrained so that the page stays truthful:
//   - a date-only format forces time_element=present (the minute is in
//     the datetime attribute);
//   - byline=absent turns json_ld=person into organization and
//     meta_author=byline into site (metadata never names an author the
//     page does not print);
//   - byline=end_upper prints the name in upper case whatever
//     byline_case says.
func Generate(seed int64) Theme {
	r := rand.New(rand.NewPCG(uint64(seed), 0x7468656d65)) // "theme"
	t := Theme{Seed: seed}
	for i := range axes[:TemplateLine] {
		t.Values[i] = uint8(r.IntN(len(axes[i].Values)))
	}
	// Axes added since draw from streams of their own: the other axes and
	// the vocabulary of every seed stay as they were.
	t.Values[TemplateLine] = uint8(rand.New(rand.NewPCG(uint64(seed), 0x6c696e65)).IntN(len(axes[TemplateLine].Values))) // "line"
	if t.DateOnly() {
		t.set(TimeElement, "present")
	}
	if t.Is(Byline, "absent") {
		if t.Is(JSONLD, "person") {
			t.set(JSONLD, "organization")
		}
		if t.Is(MetaAuthor, "byline") {
			t.set(MetaAuthor, "site")
		}
	}
	v := newVocab(r, t.V(Vocabulary))
	t.Names = v.names()
	if t.Is(HeadlineClass, "none") {
		t.Names.Headline = ""
	}
	depth, _ := strconv.Atoi(t.V(BoxDepth))
	for range depth {
		t.Wraps = append(t.Wraps, v.name("wrap"))
	}
	bdepth, _ := strconv.Atoi(t.V(BodyDepth))
	for range bdepth {
		t.BodyWraps = append(t.BodyWraps, v.name("wrap"))
	}
	return t
}

// set chooses value v on axis a (v must be in the table).
func (t *Theme) set(a AxisID, v string) {
	for i, x := range axes[a].Values {
		if x == v {
			t.Values[a] = uint8(i)
		}
	}
}
