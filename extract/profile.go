package extract

import (
	"fmt"
	"strings"
)

// compiledProfile is a Profile's selectors, compiled; a nil selector is
// one the profile leaves unset.
type compiledProfile struct {
	title, published, modified, byline, body, category, lead, tags *selector
	remove                                                         []*selector
	// removeLocal: every remove selector is local (see selector.local),
	// which lets removeProfile find all matches in one walk, with
	// removeList.
	removeLocal bool
	removeList  *selectorList
}

// Validate reports whether every selector of p compiles, with the compiler
// New uses: it returns a *SelectorError for the first one that does not, in
// the order title, published, modified, byline, body, category, lead, tags,
// remove[0], remove[1], …, and nil when all do. An empty or all-space
// selector is unset, not invalid.
func (p Profile) Validate() error {
	_, err := compileProfile(p)
	return err
}

// compileProfile compiles p's selectors in Validate's order and stops at
// the first that does not compile, which it reports as a *SelectorError.
func compileProfile(p Profile) (compiledProfile, error) {
	var c compiledProfile
	for _, f := range []struct {
		field string
		sel   string
		dst   **selector
	}{
		{"title", p.Title, &c.title},
		{"published", p.Published, &c.published},
		{"modified", p.Modified, &c.modified},
		{"byline", p.Byline, &c.byline},
		{"body", p.Body, &c.body},
		{"category", p.Category, &c.category},
		{"lead", p.Lead, &c.lead},
		{"tags", p.Tags, &c.tags},
	} {
		if strings.TrimSpace(f.sel) == "" {
			continue
		}
		s, err := compileSelector(f.sel)
		if err != nil {
			return compiledProfile{}, &SelectorError{Field: f.field, Selector: f.sel, Err: err}
		}
		*f.dst = s
	}
	for i, r := range p.Remove {
		if strings.TrimSpace(r) == "" {
			continue
		}
		s, err := compileSelector(r)
		if err != nil {
			return compiledProfile{}, &SelectorError{Field: fmt.Sprintf("remove[%d]", i), Selector: r, Err: err}
		}
		c.remove = append(c.remove, s)
	}
	c.removeLocal = true
	for _, s := range c.remove {
		c.removeLocal = c.removeLocal && s.local
	}
	if c.removeLocal {
		c.removeList = newSelectorList(c.remove)
	}
	return c, nil
}
