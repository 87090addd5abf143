package extract

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/andybalholm/cascadia"
)

// TestValidateFieldOrder breaks every selector of a profile, then mends
// them one by one in Validate's documented order: each time the first
// still broken one must be reported, by Validate and by New alike.
func TestValidateFieldOrder(t *testing.T) {
	const bad = "div[["
	p := Profile{
		Title: bad, Published: bad, Modified: bad, Byline: bad, Body: bad,
		Category: bad, Lead: bad, Tags: bad,
		Remove: []string{"", "p:nth-child(", "  ", "a[href"},
	}
	mend := []struct {
		field string
		fix   func(*Profile)
	}{
		{"title", func(p *Profile) { p.Title = "h1" }},
		{"published", func(p *Profile) { p.Published = ".date" }},
		{"modified", func(p *Profile) { p.Modified = "" }},
		{"byline", func(p *Profile) { p.Byline = " " }},
		{"body", func(p *Profile) { p.Body = "div.Content" }},
		{"category", func(p *Profile) { p.Category = "ul > li:last-child a" }},
		{"lead", func(p *Profile) { p.Lead = "span.summary" }},
		{"tags", func(p *Profile) { p.Tags = "div.tags a" }},
		{"remove[1]", func(p *Profile) { p.Remove[1] = "div.OtherNews" }},
		{"remove[3]", func(p *Profile) { p.Remove[3] = "script" }},
	}
	for _, m := range mend {
		want := fieldSelector(p, m.field)
		for _, v := range []struct {
			name string
			err  error
		}{{"Validate", p.Validate()}, {"New", newErr(p)}} {
			var se *SelectorError
			if !errors.As(v.err, &se) {
				t.Fatalf("%s = %v, want a *SelectorError for %s", v.name, v.err, m.field)
			}
			if se.Field != m.field || se.Selector != want {
				t.Errorf("%s reports %s %q, want %s %q", v.name, se.Field, se.Selector, m.field, want)
			}
			if _, err := cascadia.ParseGroup(want); se.Err == nil || err == nil || se.Err.Error() != err.Error() {
				t.Errorf("%s: Err = %v, cascadia says %v", v.name, se.Err, err)
			}
			if !errors.Is(v.err, se.Err) {
				t.Errorf("%s: %v does not unwrap to %v", v.name, v.err, se.Err)
			}
			if msg := v.err.Error(); !strings.HasPrefix(msg, "selector "+m.field+" ") || !strings.Contains(msg, want) {
				t.Errorf("%s: message %q", v.name, msg)
			}
		}
		m.fix(&p)
	}
	if err := p.Validate(); err != nil {
		t.Fatalf("mended profile: Validate = %v", err)
	}
	if err := newErr(p); err != nil {
		t.Fatalf("mended profile: New = %v", err)
	}
}

// fieldSelector returns p's selector for a SelectorError field name.
func fieldSelector(p Profile, field string) string {
	switch field {
	case "title":
		return p.Title
	case "published":
		return p.Published
	case "modified":
		return p.Modified
	case "byline":
		return p.Byline
	case "body":
		return p.Body
	case "category":
		return p.Category
	case "lead":
		return p.Lead
	case "tags":
		return p.Tags
	}
	var i int
	if _, err := fmt.Sscanf(field, "remove[%d]", &i); err != nil || i >= len(p.Remove) {
		return ""
	}
	return p.Remove[i]
}

func newErr(p Profile) error {
	_, err := New(Options{Profile: p})
	return err
}

func TestValidateAcceptsShippedProfiles(t *testing.T) {
	for name, p := range map[string]Profile{"zero": {}, "seed": seedProfile, "vieapps": vieappsProfile, "sim": simProfile()} {
		if err := p.Validate(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
