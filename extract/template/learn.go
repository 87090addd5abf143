package template

import (
	"maps"
	"slices"
	"time"

	"golang.org/x/net/html"

	"github.com/parc-archiver/parc/extract/internal/nodes"
	"github.com/parc-archiver/parc/extract/internal/titlematch"
)

const (
	// MinPages is the fewest distinct article pages a model is learned
	// from: fewer cannot tell a template from a coincidence.
	MinPages = 8
	// minShare is the share of the pages a block or a title's part must
	// be on to be template: 40 %, so that a portal serving two templates
	// side by side (VIEPortal and VIEApps pages) has both learned.
	minShare = 0.4
	// authorShare is the share of the pages that must give the same
	// meta[name=author] for it to be the site's, not an author's.
	authorShare = 0.8
)

// A Learner counts what the pages it is given print alike. Give it each
// distinct article page once (not two captures of one article).
type Learner struct {
	pages   int
	hosts   map[string]bool
	blocks  map[uint64]int // pages holding the block
	size    map[uint64]int // the block's text size
	titles  map[uint64]int
	authors map[uint64]int
	seen    []uint64  // one page's hashes, reused
	trees   [][]entry // each page's blocks, children first
}

// entry is one block of a page: its hash, and the index of the first of
// its descendants among the page's entries (they precede it).
type entry struct {
	h     uint64
	start int32
}

// NewLearner returns a Learner that has seen no page.
func NewLearner() *Learner {
	return &Learner{hosts: map[string]bool{}, blocks: map[uint64]int{}, size: map[uint64]int{},
		titles: map[uint64]int{}, authors: map[uint64]int{}}
}

// Add counts one parsed article page, fetched from host.
func (l *Learner) Add(root *html.Node, host string) {
	l.pages++
	if host != "" {
		l.hosts[hostKey(host)] = true
	}
	l.seen = l.seen[:0]
	var tree []entry
	hashTree(root, func(n *html.Node, h uint64, size int, inner int) int {
		if size < MinBlock || !nodes.IsBlock(n.DataAtom) {
			return inner
		}
		tree = append(tree, entry{h: h, start: int32(len(tree) - inner)})
		l.seen = append(l.seen, h)
		l.size[h] = max(l.size[h], size)
		return inner + 1
	})
	l.trees = append(l.trees, tree)
	countOnce(l.blocks, l.seen)
	title, metas := pageHead(root)
	l.seen = l.seen[:0]
	for _, p := range titlematch.Parts(title) {
		l.seen = append(l.seen, textHash(p))
	}
	countOnce(l.titles, l.seen)
	l.seen = l.seen[:0]
	for _, n := range metas {
		l.seen = append(l.seen, textHash(nodes.Attr(n, "content")))
	}
	countOnce(l.authors, l.seen)
}

// countOnce counts each hash of one page once.
func countOnce(counts map[uint64]int, hs []uint64) {
	slices.Sort(hs)
	for _, h := range slices.Compact(hs) {
		counts[h]++
	}
}

// Pages is how many pages the Learner was given.
func (l *Learner) Pages() int { return l.pages }

// Model returns what the pages given print alike, as the model's version;
// false with fewer than MinPages pages.
func (l *Learner) Model(version int, learned time.Time) (*Model, bool) {
	if l.pages < MinPages {
		return nil, false
	}
	m := &Model{Format: Format, Version: version, Learned: learned.UTC(), Pages: l.pages,
		Hosts:      slices.Sorted(maps.Keys(l.hosts)),
		Blocks:     l.outermost(l.frequent(l.blocks, minShare)),
		TitleParts: l.frequent(l.titles, minShare),
		Authors:    l.frequent(l.authors, authorShare),
	}
	for _, h := range m.Blocks {
		m.MaxBlock = max(m.MaxBlock, l.size[h])
	}
	return m, true
}

// outermost returns, sorted, the blocks of frequent that are on enough
// pages (frequent's share) outside any other of them: a sidebar, not
// each link in it, whose text a page's own related list may repeat.
func (l *Learner) outermost(frequent []uint64) []uint64 {
	outer := map[uint64]int{}
	var stack []int32 // starts of the frequent blocks around the entry
	for _, tree := range l.trees {
		l.seen, stack = l.seen[:0], stack[:0]
		for i := len(tree) - 1; i >= 0; i-- {
			for len(stack) > 0 && stack[len(stack)-1] > int32(i) {
				stack = stack[:len(stack)-1]
			}
			if !has(frequent, tree[i].h) {
				continue
			}
			if len(stack) == 0 {
				l.seen = append(l.seen, tree[i].h)
			}
			stack = append(stack, tree[i].start)
		}
		countOnce(outer, l.seen)
	}
	return l.frequent(outer, minShare)
}

// frequent returns, sorted, the hashes on at least share of the pages.
func (l *Learner) frequent(counts map[uint64]int, share float64) []uint64 {
	need := max(3, int(share*float64(l.pages)+0.999))
	var out []uint64
	for h, n := range counts {
		if n >= need {
			out = append(out, h)
		}
	}
	slices.Sort(out)
	return out
}
