// Package template is a portal's template model (issue 15 item 6): what
// most article pages of one portal print identically, and so is template,
// not content. It knows three things:
//
//   - blocks of text that repeat (footer, sidebars, menus, a promotion
//     line under every article), by the hash of their text and markup;
//   - the parts of <title> that repeat (the site's name, "Tin tức | Site");
//   - a meta[name=author] that every page gives (the site's brand).
//
// A model keeps hashes, never text, so redacting an article leaves nothing
// of it behind; the archive stores a model's bytes without interpreting
// them. A Learner builds a model from a portal's pages; package extract
// applies one to the pages of the model's hosts.
package template

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"golang.org/x/net/html"

	"github.com/parc-archiver/parc/extract/internal/nodes"
	"github.com/parc-archiver/parc/extract/internal/titlematch"
)

// Format is the version of what a model holds and how its hashes are
// computed. A stored model of another format is outdated: rebuild it.
const Format = 1

// ErrOutdated is returned by Decode for a model of another Format.
var ErrOutdated = errors.New("template model of another format")

// Model is one portal's template model. Its zero value (and nil) knows
// nothing and applies to no page.
type Model struct {
	Format int `json:"format"`
	// Version counts the models built for the portal: a run uses one, and
	// names it in its run record.
	Version int       `json:"version"`
	Learned time.Time `json:"learned"`
	Pages   int       `json:"pages"` // the article pages it was learned from; 0: reset, learn it again
	// After is, in a reset model, the archive's change sequence from
	// which the next model is learned (the pages of a redesign only).
	After uint64   `json:"after,omitempty"`
	Hosts []string `json:"hosts"` // the hosts those pages came from, sorted
	// MaxBlock is the longest template block's text, in bytes: longer
	// elements are not hashed.
	MaxBlock   int      `json:"max_block"`
	Blocks     []uint64 `json:"blocks"`      // sorted
	TitleParts []uint64 `json:"title_parts"` // sorted
	Authors    []uint64 `json:"authors"`     // sorted
}

// Encode is the model's stored form.
func (m *Model) Encode() ([]byte, error) { return json.Marshal(m) }

// Decode reads a stored model; one of another format is ErrOutdated.
func Decode(b []byte) (*Model, error) {
	var m Model
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("decode template model: %w", err)
	}
	if m.Format != Format {
		return &m, fmt.Errorf("format %d, this parc reads %d: %w", m.Format, Format, ErrOutdated)
	}
	return &m, nil
}

// AppliesTo reports whether the model was learned from pages of host.
func (m *Model) AppliesTo(host string) bool {
	if m == nil || host == "" {
		return false
	}
	_, ok := slices.BinarySearch(m.Hosts, hostKey(host))
	return ok
}

// Block is an element the model knows as template, with the size of its
// text in bytes.
type Block struct {
	Node *html.Node
	Size int
}

// TemplateBlocks returns the elements below root whose text and markup
// the model knows as template, the outermost only, in document order.
func (m *Model) TemplateBlocks(root *html.Node) []Block {
	if m == nil || len(m.Blocks) == 0 {
		return nil
	}
	var found []Block
	hashTree(root, func(n *html.Node, h uint64, size int, inner int) int {
		if size < MinBlock || size > m.MaxBlock || !nodes.IsBlock(n.DataAtom) || !has(m.Blocks, h) {
			return inner
		}
		found = append(found[:len(found)-inner], Block{n, size}) // n holds the inner ones
		return 1
	})
	return found
}

// SiteNames returns the parts of a page's title that the model knows as
// repeating, longest first: the site's name as this page prints it.
func (m *Model) SiteNames(title string) []string {
	if m == nil || len(m.TitleParts) == 0 {
		return nil
	}
	var names []string
	for _, p := range titlematch.Parts(title) {
		if has(m.TitleParts, textHash(p)) {
			names = append(names, p)
		}
	}
	slices.SortStableFunc(names, func(a, b string) int { return len(b) - len(a) })
	return names
}

// AuthorMetas returns the page's meta[name=author] elements whose content
// the model knows as the one every page gives: the site's, not a person's.
func (m *Model) AuthorMetas(root *html.Node) []*html.Node {
	if m == nil || len(m.Authors) == 0 {
		return nil
	}
	var found []*html.Node
	for _, n := range authorMetas(root) {
		if has(m.Authors, textHash(nodes.Attr(n, "content"))) {
			found = append(found, n)
		}
	}
	return found
}

func has(sorted []uint64, h uint64) bool {
	_, ok := slices.BinarySearch(sorted, h)
	return ok
}

// hostKey is host as models keep it: lower case, without "www.".
func hostKey(host string) string {
	return strings.TrimPrefix(strings.ToLower(host), "www.")
}
