// Package responsive undoes, for generic extraction, the mark that CSS
// frameworks put on a block they hide on phones and show from a
// breakpoint on: Tailwind's "hidden md:block", Bootstrap's
// "d-none d-md-block", Bootstrap 3's "hidden-xs". go-readability reads
// the whole tokens "hidden" and "d-none" as a negative class and drops
// such a block when it cleans its article, though the block is on the
// page for every reader with a wider screen: often the whole article.
package responsive

import (
	"strings"

	"golang.org/x/net/html"
)

// Unhide rewrites, in place, the class attribute of every element below
// root that hides it on small screens only (Shown), and returns how many
// it rewrote.
func Unhide(root *html.Node) int {
	n := 0
	for el := range root.Descendants() {
		if el.Type != html.ElementNode {
			continue
		}
		for i, a := range el.Attr {
			if a.Key != "class" || a.Namespace != "" {
				continue
			}
			if cls, ok := Shown(a.Val); ok {
				el.Attr[i].Val = cls
				n++
			}
		}
	}
	return n
}

// Shown returns class without its hiding tokens ("hidden", "d-none")
// when another of its tokens shows the element again from a breakpoint
// on ("md:block", "lg:flex", "d-md-block", "d-lg-grid"), and class
// without Bootstrap 3's "hidden-xs" / "hidden-sm"; ok is false when class
// has no such pair (an element hidden everywhere, or on wide screens,
// stays as it is). Tokens are compared case-sensitively, as CSS does.
func Shown(class string) (_ string, ok bool) {
	if !strings.Contains(class, "hidden") && !strings.Contains(class, "d-none") {
		return class, false
	}
	toks := strings.Fields(class)
	shownLater := false
	for _, t := range toks {
		if showsAtBreakpoint(t) {
			shownLater = true
		}
	}
	kept := toks[:0]
	for _, t := range toks {
		switch {
		case shownLater && (t == "hidden" || t == "d-none"),
			t == "hidden-xs", t == "hidden-sm":
			ok = true
			continue
		}
		kept = append(kept, t)
	}
	if !ok {
		return class, false
	}
	return strings.Join(kept, " "), true
}

// breakpoints are the screen-width prefixes of Tailwind ("md:") and
// Bootstrap ("d-md-").
var breakpoints = [...]string{"sm", "md", "lg", "xl", "2xl", "xxl"}

// displays are the display values that show an element (Tailwind's
// utilities, Bootstrap's d-* suffixes); a token may carry a theme's
// suffix after them ("md:block-x1").
var displays = [...]string{"block", "flex", "grid", "inline", "table", "contents", "flow-root"}

// showsAtBreakpoint reports whether t gives an element a visible display
// from a breakpoint on: "md:block", "lg:inline-flex", "d-md-block".
func showsAtBreakpoint(t string) bool {
	for _, bp := range breakpoints {
		var rest string
		var found bool
		if rest, found = strings.CutPrefix(t, bp+":"); !found {
			rest, found = strings.CutPrefix(t, "d-"+bp+"-")
		}
		if !found {
			continue
		}
		for _, d := range displays {
			if strings.HasPrefix(rest, d) {
				return true
			}
		}
	}
	return false
}
