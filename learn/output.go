package learn

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// WriteYAML writes the proposed selectors as a YAML document whose only
// top-level key is selectors:, ready to paste under the portal entry of
// config.yaml (indented by two spaces). Unlearned fields are left out.
func (r *Result) WriteYAML(w io.Writer) error {
	bw := bufio.NewWriter(w)
	s := r.Selectors
	keys := []struct{ k, v string }{
		{"title", s.Title}, {"published", s.Published}, {"body", s.Body}, {"byline", s.Byline}, {"category", s.Category},
	}
	empty := len(s.Remove) == 0
	for _, kv := range keys {
		empty = empty && kv.v == ""
	}
	if empty {
		fmt.Fprintln(bw, "selectors: {}")
		return bw.Flush()
	}
	fmt.Fprintln(bw, "selectors:")
	for _, kv := range keys {
		if kv.v != "" {
			fmt.Fprintf(bw, "  %s: %s\n", kv.k, quote(kv.v))
		}
	}
	if len(s.Remove) > 0 {
		fmt.Fprintln(bw, "  remove:")
		for _, v := range s.Remove {
			fmt.Fprintf(bw, "    - %s\n", quote(v))
		}
	}
	return bw.Flush()
}

// quote is v as a YAML single-quoted scalar.
func quote(v string) string { return "'" + strings.ReplaceAll(v, "'", "''") + "'" }

// maxListed is how many unexplained pages the report names per field.
const maxListed = 10

// WriteReport writes per-field coverage and the pages no selector
// explains, for standard error.
func (r *Result) WriteReport(w io.Writer) {
	fmt.Fprintf(w, "learn: %d article pages read\n", r.Pages)
	for k, u := range r.Unread {
		if k == maxListed {
			fmt.Fprintf(w, "learn: … and %d more pages not read\n", len(r.Unread)-k)
			break
		}
		fmt.Fprintf(w, "learn: not read (no hint): %s: %s\n", u.URL, u.Why)
	}
	for _, c := range r.Coverage {
		if c.Selector == "" {
			fmt.Fprintf(w, "learn: %s: no selector learned (%d pages with a value; generic extraction stays)\n", c.Field, c.Of)
			continue
		}
		fmt.Fprintf(w, "learn: %s: explains %d of %d pages (%d template(s))\n", c.Field, c.Explained, c.Of, c.Templates)
	}
	if len(r.Selectors.Remove) > 0 || r.Removed > 0 {
		fmt.Fprintf(w, "learn: remove: %d selector(s) take out %d in-body blocks\n", len(r.Selectors.Remove), r.Removed)
	}
	listed := map[string]int{}
	for _, u := range r.Unexplained {
		listed[u.Field]++
		if listed[u.Field] > maxListed {
			continue
		}
		why := "not explained (a template too rare to learn, or generic extraction's value is wrong)"
		if u.Why != "" {
			why = u.Why
		}
		fmt.Fprintf(w, "learn: %s: %s: %s\n", u.Field, u.URL, why)
	}
	for _, c := range append(r.Coverage, Coverage{Field: "all"}) {
		if n := listed[c.Field]; n > maxListed {
			fmt.Fprintf(w, "learn: %s: … and %d more pages\n", c.Field, n-maxListed)
			listed[c.Field] = 0
		}
	}
}
