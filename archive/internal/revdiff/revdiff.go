// Package revdiff says what changed from one revision of a record to the
// next: the fields, and the paragraphs added, removed or edited in place.
package revdiff

import (
	"strings"

	"github.com/parc-archiver/parc/archive/internal/fingerprint"
	"github.com/parc-archiver/parc/record"
)

// Diff is what changed from one revision to the next.
type Diff struct {
	// Fields names the record fields that changed (title, byline, body,
	// published, modified, category, lead, tags, images).
	Fields            []string          `json:"fields"`
	ParagraphsAdded   int               `json:"paragraphs_added"`
	ParagraphsRemoved int               `json:"paragraphs_removed"`
	ParagraphsChanged int               `json:"paragraphs_changed"`
	Added             []string          `json:"added,omitempty"`
	Removed           []string          `json:"removed,omitempty"`
	Changed           []ParagraphChange `json:"changed,omitempty"`
}

// ParagraphChange is one paragraph edited in place.
type ParagraphChange struct {
	Old string `json:"old"`
	New string `json:"new"`
}

// Records compares two revisions of one record.
func Records(old, cur *record.Record) *Diff {
	d := &Diff{}
	field := func(name string, changed bool) {
		if changed {
			d.Fields = append(d.Fields, name)
		}
	}
	field("title", old.Title != cur.Title)
	field("byline", old.Byline != cur.Byline)
	field("body", old.Body != cur.Body)
	field("published", old.Published != cur.Published)
	field("modified", old.Modified != cur.Modified)
	field("category", old.Category != cur.Category)
	field("lead", old.Lead != cur.Lead)
	field("tags", strings.Join(old.Tags, "\x00") != strings.Join(cur.Tags, "\x00"))
	field("images", !sameImages(old, cur))
	if old.Body != cur.Body {
		diffParagraphs(d, fingerprint.Paragraphs(old.Body), fingerprint.Paragraphs(cur.Body))
	}
	return d
}

func sameImages(a, b *record.Record) bool {
	if len(a.Images) != len(b.Images) {
		return false
	}
	for i := range a.Images {
		if a.Images[i] != b.Images[i] {
			return false
		}
	}
	return true
}

// diffParagraphs fills d with an LCS alignment of the paragraphs: within
// each gap between common paragraphs, removed and added paragraphs pair up
// as changed ones, the rest count as removed or added.
func diffParagraphs(d *Diff, a, b []string) {
	const limit = 4000 // paragraphs; beyond it, align only common prefix/suffix
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	a, b = a[pre:len(a)-suf], b[pre:len(b)-suf]
	type pair struct{ i, j int }
	var common []pair
	if len(a) > 0 && len(b) > 0 && len(a)*len(b) <= limit*limit/16 {
		// LCS table.
		t := make([][]int32, len(a)+1)
		for i := range t {
			t[i] = make([]int32, len(b)+1)
		}
		for i := len(a) - 1; i >= 0; i-- {
			for j := len(b) - 1; j >= 0; j-- {
				if a[i] == b[j] {
					t[i][j] = t[i+1][j+1] + 1
				} else {
					t[i][j] = max(t[i+1][j], t[i][j+1])
				}
			}
		}
		for i, j := 0, 0; i < len(a) && j < len(b); {
			switch {
			case a[i] == b[j]:
				common = append(common, pair{i, j})
				i++
				j++
			case t[i+1][j] >= t[i][j+1]:
				i++
			default:
				j++
			}
		}
	}
	common = append(common, pair{len(a), len(b)})
	pi, pj := 0, 0
	for _, c := range common {
		rem, add := a[pi:c.i], b[pj:c.j]
		n := min(len(rem), len(add))
		for k := range n {
			d.Changed = append(d.Changed, ParagraphChange{Old: rem[k], New: add[k]})
		}
		d.Removed = append(d.Removed, rem[n:]...)
		d.Added = append(d.Added, add[n:]...)
		pi, pj = c.i+1, c.j+1
	}
	d.ParagraphsAdded, d.ParagraphsRemoved, d.ParagraphsChanged = len(d.Added), len(d.Removed), len(d.Changed)
}
