package learn

import (
	"regexp"
	"strings"

	"github.com/PuerkitoBio/goquery"
)

// stableName is a class or id a template writes the same on every page:
// a plain CSS identifier without a run of three digits (those are
// usually an article's or a widget instance's number).
var (
	plainName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)
	numberRun = regexp.MustCompile(`[0-9]{3}`)
)

func stableName(s string) bool { return plainName.MatchString(s) && !numberRun.MatchString(s) }

// sigs are the simple selectors of one element, most specific first:
// tag#id, tag.class for each stable class, then the bare tag.
func sigs(e *goquery.Selection) []string {
	tag := goquery.NodeName(e)
	var out []string
	if id, ok := e.Attr("id"); ok && stableName(id) {
		out = append(out, tag+"#"+id)
	}
	if c, ok := e.Attr("class"); ok {
		for _, name := range strings.Fields(c) {
			if stableName(name) {
				out = append(out, tag+"."+name)
			}
		}
	}
	return append(out, tag)
}

// named reports whether sig has a class or an id.
func named(sig string) bool { return strings.ContainsAny(sig, ".#") }

// ancestorDepth is how far up selectorsFor looks for a named ancestor.
const ancestorDepth = 6

// selectorsFor derives candidate selectors for e: its own simple
// selectors, each under its parent's (child combinator), and each under
// its named ancestors (descendant combinator).
func selectorsFor(e *goquery.Selection) []string {
	own := sigs(e)
	out := append([]string(nil), own...)
	parent := e.Parent()
	if parent.Length() > 0 && goquery.NodeName(parent) != "body" {
		for _, p := range sigs(parent) {
			for _, s := range own {
				out = append(out, p+" > "+s)
			}
		}
	}
	a := parent
	for d := 0; d < ancestorDepth && a.Length() > 0; d++ {
		a = a.Parent()
		if a.Length() == 0 || goquery.NodeName(a) == "html" {
			break
		}
		for _, p := range sigs(a) {
			if !named(p) {
				continue
			}
			for _, s := range own {
				out = append(out, p+" "+s)
			}
		}
	}
	return out
}
