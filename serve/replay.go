package serve

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/parc-archiver/parc/archive"
	"github.com/parc-archiver/parc/internal/htmldoc"
	"github.com/parc-archiver/parc/record"
)

// placeholder stands in for a picture: the archive keeps article pages,
// not the pictures they show.
const placeholder = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='160' height='90'%3E%3Crect width='160' height='90' fill='%23ddd'/%3E%3Ctext x='80' y='50' font-size='11' text-anchor='middle' fill='%23555'%3E%E1%BA%A2nh kh%C3%B4ng l%C6%B0u%3C/text%3E%3C/svg%3E"

func (s *Server) capture(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("id")
	if !uuidShape.MatchString(key) {
		s.fail(w, r, archive.ErrNotFound)
		return
	}
	var c *record.Capture
	err := s.o.Source.Use(r.Context(), func(arc *archive.Archive) error {
		var err error
		if c, err = arc.Capture(r.Context(), "<urn:uuid:"+key+">"); err != nil {
			return err
		}
		return s.captureServed(r.Context(), arc, c)
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	body, ctype, err := replayBody(c)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Security-Policy", CaptureCSP)
	h.Set("Content-Type", ctype)
	w.Write(body)
}

// captureServed is archive.ErrNotFound when the pages show some portals
// only and c is not of one of them: of the record its URL names (as /go
// finds it), and of none when no record has its URL.
func (s *Server) captureServed(ctx context.Context, arc *archive.Archive, c *record.Capture) error {
	if len(s.o.Portals) == 0 {
		return nil
	}
	h, err := arc.Get(ctx, c.URL)
	if err != nil {
		return err
	}
	if !s.serves(h.Record.Portal) {
		return fmt.Errorf("capture of %s: %w", h.Record.Portal, archive.ErrNotFound)
	}
	return nil
}

// replayBody is what the replay page serves of c: an HTML page with its
// links into the archive and its pictures as placeholders, anything else
// as plain text.
func replayBody(c *record.Capture) ([]byte, string, error) {
	ct := c.Header.Get("Content-Type")
	if !strings.Contains(strings.ToLower(ct), "html") && !bytes.Contains(bytes.ToLower(c.Body[:min(len(c.Body), 512)]), []byte("<html")) {
		return c.Body, "text/plain; charset=utf-8", nil
	}
	doc, _, err := htmldoc.ParseFull(c.Body, ct)
	if err != nil {
		return nil, "", fmt.Errorf("capture of %s: %w", c.URL, err)
	}
	base, _ := url.Parse(c.URL)
	root := doc.Selection.Nodes[0]
	rewrite(root, base)
	banner(root, c)
	var buf bytes.Buffer
	if err := html.Render(&buf, root); err != nil {
		return nil, "", fmt.Errorf("capture of %s: %w", c.URL, err)
	}
	return buf.Bytes(), "text/html; charset=utf-8", nil
}

// dropped are the elements a replay leaves out: what would run, load or
// send something.
var dropped = map[atom.Atom]bool{
	atom.Script: true, atom.Iframe: true, atom.Frame: true, atom.Object: true, atom.Embed: true,
	atom.Base: true, atom.Link: true, atom.Applet: true,
}

// rewrite makes n's tree safe to replay from the archive: no element that
// loads or runs anything, links through /go, pictures as placeholders.
func rewrite(n *html.Node, base *url.URL) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type == html.ElementNode && (dropped[c.DataAtom] || isRefresh(c)) {
			n.RemoveChild(c)
		} else {
			if c.Type == html.ElementNode {
				rewriteAttrs(c, base)
			}
			rewrite(c, base)
		}
		c = next
	}
}

func isRefresh(n *html.Node) bool {
	if n.DataAtom != atom.Meta {
		return false
	}
	for _, a := range n.Attr {
		if strings.EqualFold(a.Key, "http-equiv") {
			return true
		}
	}
	return false
}

// rewriteAttrs keeps n's attributes but event handlers and those that
// name another resource: an <a>'s href goes through /go, a picture's
// source becomes the placeholder.
func rewriteAttrs(n *html.Node, base *url.URL) {
	attrs := n.Attr[:0]
	for _, a := range n.Attr {
		key := strings.ToLower(a.Key)
		switch {
		case strings.HasPrefix(key, "on"), key == "srcset", key == "target", key == "ping",
			key == "action", key == "formaction", key == "poster", key == "background", key == "data", key == "xlink:href":
			continue
		case key == "href" && (n.DataAtom == atom.A || n.DataAtom == atom.Area):
			if v, ok := inArchive(a.Val, base); ok {
				attrs = append(attrs, html.Attribute{Key: "href", Val: v})
			}
		case key == "src" && n.DataAtom == atom.Img:
			if !strings.HasPrefix(a.Val, "data:") {
				attrs = append(attrs, html.Attribute{Key: "title", Val: "Không lưu trong kho: " + a.Val})
				a.Val = placeholder
			}
			attrs = append(attrs, html.Attribute{Key: "src", Val: a.Val})
		case key == "src", key == "href":
			continue
		default:
			attrs = append(attrs, a)
		}
	}
	n.Attr = attrs
}

// inArchive is where a link of the replayed page leads: a fragment stays,
// a web address goes to /go, which finds it in the archive; anything else
// (javascript:, mailto:) is dropped.
func inArchive(href string, base *url.URL) (string, bool) {
	href = strings.TrimSpace(href)
	if strings.HasPrefix(href, "#") {
		return href, true
	}
	u, err := url.Parse(href)
	if err != nil || base == nil {
		return "", false
	}
	u = base.ResolveReference(u)
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", false
	}
	return "/go?url=" + url.QueryEscape(u.String()), true
}

// banner puts a line at the top of the body saying what this is.
func banner(root *html.Node, c *record.Capture) {
	body := find(root, atom.Body)
	if body == nil {
		return
	}
	p := &html.Node{Type: html.ElementNode, Data: "p", DataAtom: atom.P, Attr: []html.Attribute{
		{Key: "style", Val: "margin:0;padding:6px 10px;background:#fff3c4;color:#222;font:14px system-ui,sans-serif;border-bottom:1px solid #c9b458"},
	}}
	p.AppendChild(&html.Node{Type: html.TextNode, Data: "Bản lưu trong kho parc: " + c.URL + " — tải lúc " + c.FetchedAt.UTC().Format("2006-01-02 15:04:05Z") + ". "})
	a := &html.Node{Type: html.ElementNode, Data: "a", DataAtom: atom.A, Attr: []html.Attribute{{Key: "href", Val: "/"}}}
	a.AppendChild(&html.Node{Type: html.TextNode, Data: "Trang chủ kho"})
	p.AppendChild(a)
	body.InsertBefore(p, body.FirstChild)
}

func find(n *html.Node, a atom.Atom) *html.Node {
	if n.Type == html.ElementNode && n.DataAtom == a {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := find(c, a); f != nil {
			return f
		}
	}
	return nil
}

// follow is where a replayed page's link leads: the newest capture of the
// archived article at that URL, else its article page, else a page saying
// it is not in the archive. Nothing is fetched.
func (s *Server) follow(w http.ResponseWriter, r *http.Request) {
	target := r.URL.Query().Get("url")
	u, err := url.Parse(target)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		s.problem(w, http.StatusBadRequest, "Địa chỉ không hợp lệ", "Not a web address.")
		return
	}
	var h *archive.History
	err = s.o.Source.Use(r.Context(), func(arc *archive.Archive) error {
		var err error
		h, err = arc.Get(r.Context(), u.String())
		return err
	})
	if err == nil && !s.serves(h.Record.Portal) {
		err = archive.ErrNotFound
	}
	switch {
	case errors.Is(err, archive.ErrNotFound):
		s.problem(w, http.StatusNotFound, "Không có trong kho", "This address is not in the archive (nothing is fetched from the web): "+target)
		return
	case err != nil:
		s.fail(w, r, err)
		return
	}
	to := "/articles/" + h.Record.ID
	if k := newestCapture(h); k != "" && h.Redacted == nil {
		to = "/captures/" + k
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// newestCapture is the key of the newest capture of h's current revision.
func newestCapture(h *archive.History) string {
	if len(h.Revisions) == 0 {
		return ""
	}
	rv := h.Revisions[len(h.Revisions)-1]
	for i := len(rv.Refetches) - 1; i >= 0; i-- {
		if k := captureKey(rv.Refetches[i].ID); k != "" {
			return k
		}
	}
	return captureKey(rv.CaptureID)
}
