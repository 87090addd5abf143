package extract

import (
	"golang.org/x/net/html"

	"github.com/parc-archiver/parc/extract/internal/readable"
)

// genericByline returns readability's byline for the page
// (readable.MetaAuthor, else readable.ElementByline), or "".
func genericByline(root *html.Node, m *pageMeta) string {
	if b := readable.MetaAuthor(m.meta, m.lastAuthor); b != "" {
		return b
	}
	return readable.ElementByline(root)
}

// matchUnlikely is the unlikely-blocks rule: in a dense body (and only
// there: go-readability's path has dropped them already, and a profile's
// body element is the site's word), the blocks go-readability drops
// before it scores a page (readable.UnlikelyElement: comments, footers, social
// and sponsor boxes, menus) that the rules before it left.
func matchUnlikely(st *cleanState, n *html.Node, cls string) bool {
	return st.dense && readable.UnlikelyElement(n, cls) && !st.tooBig(n)
}

// matchFormWidget is the form-widgets rule, on a dense body only (as
// unlikely-blocks): a block of form controls and little text
// (readable.FormWidget), before the scripts rule takes the controls
// and leaves their labels.
func matchFormWidget(st *cleanState, n *html.Node, _ string) bool {
	return st.dense && readable.FormWidget(n) && !st.tooBig(n)
}
