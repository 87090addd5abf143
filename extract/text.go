package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/text/unicode/norm"
)

// cleanText returns s in NFC with whitespace collapsed: NBSP and other
// spaces become one space, zero-width characters and soft hyphens go,
// leading and trailing spaces are trimmed.
func cleanText(s string) string {
	k := cleanSpan(s)
	if k == len(s) {
		return s
	}
	var buf [256]byte // a short text is cleaned on the stack
	dst := buf[:0]
	if len(s) > len(buf) {
		dst = make([]byte, 0, len(s))
	}
	return composed(appendCleanFrom(append(dst, s[:k]...), 0, s, k))
}

// cleanBytes is cleanText(string(b)); it cleans b in place, so b's content
// is lost.
func cleanBytes(b []byte) string {
	k := cleanSpan(b)
	if k == len(b) {
		return string(b)
	}
	return composed(appendCleanFrom(b[:k], 0, b, k))
}

// stringOrBytes is what cleanText and its helpers read.
type stringOrBytes interface{ ~string | ~[]byte }

// cleanSpan returns the length of a prefix of s that cleanText leaves as it
// is and that ends with a kept character: characters kept as they are (no
// combining mark among them) with single spaces between them. When that is
// all of s, cleanText(s) is s (most text is clean already: titles,
// attribute values, short runs); otherwise cleanText(s) begins with the
// prefix and appendCleanFrom resumes after it, so that no text is scanned
// twice. The prefix may end inside a run of kept characters (before a
// combining mark): resuming appends the rest of the run as it is, as the
// whole run would have been.
func cleanSpan[T stringOrBytes](s T) int {
	end := 0 // s[:end] is clean and ends with a kept character
	for i := 0; i < len(s); {
		switch c := s[i]; {
		case c > ' ' && c < 0x7f: // printable ASCII, the common case
			i++
			end = i
		case c == ' ' && i == end && i > 0: // one space after a kept character
			i++
		default:
			j, marks := keptRun(s, i)
			if j == i || marks {
				return end // a leading, doubled or other space, a character to drop, a mark
			}
			i, end = j, j
		}
	}
	return end // all of s, or all but a trailing space
}

// appendClean appends s with whitespace collapsed (as cleanText, before
// NFC) to dst, and reports whether it holds a combining mark. dst may be
// s[:0] (for bytes): what it writes never overtakes what it reads.
func appendClean[T stringOrBytes](dst []byte, s T) ([]byte, bool) {
	return appendCleanFrom(dst, len(dst), s, 0)
}

// appendCleanFrom is appendClean resumed at s[i]: dst[start:] is what it
// appended for s[:i], and s[:i] is empty or ends with a kept character (see
// cleanSpan), without combining marks. dst may be s[:i] (start 0, for
// bytes).
func appendCleanFrom[T stringOrBytes](dst []byte, start int, s T, i int) ([]byte, bool) {
	space, marks := false, false
	for i < len(s) {
		if j, m := keptRun(s, i); j > i {
			if space && len(dst) > start {
				dst = append(dst, ' ')
			}
			space = false
			marks = marks || m
			dst = append(dst, s[i:j]...)
			i = j
			continue
		}
		// s[i] starts a space, or a character that is dropped.
		if c := s[i]; c < utf8.RuneSelf {
			i++
			if c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v' {
				space = true
			}
			continue // other ASCII controls are dropped
		}
		r, n := decodeRune(s, i)
		i += n
		if n > 1 && (isSpace(r) || r == '\u00a0') {
			space = true
		}
		// invalid UTF-8, zero-width characters, soft hyphens and
		// controls are dropped
	}
	return dst, marks
}

// composed returns b as a string, in NFC when marks (b holds a combining
// mark) says it may not be.
func composed(b []byte, marks bool) string {
	s := string(b)
	if marks && !norm.NFC.IsNormalString(s) {
		s = norm.NFC.String(s)
	}
	return s
}

// decodeRune is utf8.DecodeRuneInString(s[i:]) for strings and bytes.
func decodeRune[T stringOrBytes](s T, i int) (rune, int) {
	// At most four bytes are converted: the compiler does it on the stack.
	return utf8.DecodeRuneInString(string(s[i:min(i+utf8.UTFMax, len(s))]))
}

// keptRun returns the end of the run of characters from s[i] that
// cleanText copies as they are (no space, control, zero-width character,
// soft hyphen or invalid byte), and whether the run holds a combining mark
// (after which the text may need composing).
func keptRun[T stringOrBytes](s T, i int) (end int, marks bool) {
	for i < len(s) {
		c := s[i]
		switch {
		case c < utf8.RuneSelf:
			if c <= ' ' || c == 0x7f {
				return i, marks
			}
			i++
			continue
		case c >= 0xc2 && c <= 0xdf && i+1 < len(s) && s[i+1]&0xc0 == 0x80:
			// U+0080..U+07FF; Latin letters (U+00A1..U+02FF but the soft
			// hyphen) are the common case.
			if r := rune(c&0x1f)<<6 | rune(s[i+1]&0x3f); r >= 0xa1 && r < 0x300 && r != 0xad {
				i += 2
				continue
			}
		case c == 0xe1 && i+2 < len(s) && s[i+1] >= 0xb8 && s[i+1] <= 0xbb && s[i+2]&0xc0 == 0x80:
			i += 3 // U+1E00..U+1EFF, Vietnamese letters
			continue
		}
		r, n := decodeRune(s, i)
		switch {
		case n == 1, // invalid UTF-8
			r == '\u200b' || r == '\u200c' || r == '\u200d' || r == '\u2060' || r == '\ufeff' || r == '\u00ad',
			isSpace(r) || r == '\u00a0',
			unicode.IsControl(r):
			return i, marks
		}
		if r >= 0x300 && isCombining(r) {
			marks = true
		}
		i += n
	}
	return i, marks
}

// isCombining reports whether r is a combining mark that NFC may compose
// (the only way text decoded and normalised by Parse can be non-NFC again).
func isCombining(r rune) bool {
	return r >= 0x300 && r <= 0x36f || r >= 0x1ab0 && r <= 0x1aff || r >= 0x1dc0 && r <= 0x1dff ||
		r >= 0x20d0 && r <= 0x20ff || r >= 0xfe20 && r <= 0xfe2f || r >= 0x3099 && r <= 0x309a ||
		r >= 0x1100 && r <= 0x11ff || r < 0x1000 && unicode.Is(unicode.Mn, r)
}

// isSkip reports whether elements of type a hold no text (scripts,
// styles, embedded objects, form controls, the document head).
func isSkip(a atom.Atom) bool {
	switch a {
	case atom.Script, atom.Style, atom.Noscript, atom.Iframe,
		atom.Template, atom.Object, atom.Embed, atom.Svg,
		atom.Select, atom.Textarea, atom.Button, atom.Head,
		atom.Canvas, atom.Video, atom.Audio:
		return true
	}
	return false
}

// isBlock reports whether elements of type a start a new paragraph.
func isBlock(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.H1, atom.H2, atom.H3,
		atom.H4, atom.H5, atom.H6, atom.Li, atom.Ul,
		atom.Ol, atom.Blockquote, atom.Table, atom.Tr,
		atom.Section, atom.Article, atom.Pre, atom.Figure,
		atom.Header, atom.Footer, atom.Dl, atom.Dt,
		atom.Dd, atom.Aside, atom.Main, atom.Hr,
		atom.Address, atom.Form, atom.Nav, atom.Center,
		atom.Tbody, atom.Thead, atom.Tfoot, atom.Caption,
		atom.Figcaption, atom.Details, atom.Summary:
		return true
	}
	return false
}

// nodeText is the collapsed text of n (script and style excluded).
func nodeText(n *html.Node) string {
	var buf [256]byte // most element texts fit: no growing
	return cleanBytes(appendText(buf[:0], n))
}

// appendText appends the raw text of n (what nodeText collapses) to b.
func appendText(b []byte, n *html.Node) []byte {
	switch n.Type {
	case html.TextNode:
		return append(b, n.Data...)
	case html.ElementNode:
		if isSkip(n.DataAtom) {
			return b
		}
		if n.DataAtom == atom.Br || isBlock(n.DataAtom) {
			b = append(b, ' ')
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		b = appendText(b, c)
	}
	if n.Type == html.ElementNode && isBlock(n.DataAtom) {
		b = append(b, ' ')
	}
	return b
}

// shortText is shorten(cleanText(string(raw)), max); it may clean raw in
// place. A long raw text is cleaned only as far as needed when that gives
// the same result: with no combining mark anywhere cleanText never
// recomposes, so the cleaned form of a prefix (cut at a rune start) is a
// prefix of the cleaned whole.
func shortText(raw []byte, max int) string {
	if cut := 8 * max; len(raw) > cut && !hasMarks(raw) {
		for cut < len(raw) && !utf8.RuneStart(raw[cut]) {
			cut++
		}
		var buf [1024]byte
		if b, _ := appendClean(buf[:0], raw[:cut]); utf8.RuneCount(b) > max {
			return shortenBytes(b, max)
		}
	}
	k := cleanSpan(raw)
	if k == len(raw) {
		return shortenBytes(raw, max)
	}
	b, marks := appendCleanFrom(raw[:k], 0, raw, k)
	if marks {
		return shorten(composed(b, marks), max)
	}
	return shortenBytes(b, max)
}

// shortenBytes is shorten(string(b), n).
func shortenBytes(b []byte, n int) string {
	i := 0
	for j := 0; j < len(b); i++ {
		if i == n {
			return string(b[:j]) + "…"
		}
		_, size := utf8.DecodeRune(b[j:])
		j += size
	}
	return string(b)
}

// hasMarks reports whether b holds a combining mark that would make
// cleanText check its result for NFC (see keptRun).
func hasMarks(b []byte) bool {
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c < utf8.RuneSelf:
			i++
			continue
		case c >= 0xc2 && c < 0xcc && i+1 < len(b) && b[i+1]&0xc0 == 0x80:
			i += 2 // U+0080..U+02FF
			continue
		case c == 0xe1 && i+2 < len(b) && b[i+1] >= 0xb8 && b[i+1] <= 0xbb && b[i+2]&0xc0 == 0x80:
			i += 3 // U+1E00..U+1EFF
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if n > 1 && r >= 0x300 && isCombining(r) {
			return true
		}
		i += n
	}
	return false
}

// textLen counts the non-space runes of n's text, and those inside links.
func textLen(n *html.Node, inLink bool) (total, link, links int) {
	switch n.Type {
	case html.TextNode:
		total = countVisible(n.Data)
		if inLink {
			link = total
		}
		return total, link, 0
	case html.ElementNode:
		if isSkip(n.DataAtom) {
			return 0, 0, 0
		}
		if n.DataAtom == atom.A {
			inLink = true
			links = 1
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		t, l, k := textLen(c, inLink)
		total += t
		link += l
		links += k
	}
	return total, link, links
}

// countVisible counts the runes of s that are not white space, as a
// range loop with !unicode.IsSpace would (invalid bytes count as one rune
// each). Two- and three-byte sequences are validated and classified from
// their bytes, without decoding.
func countVisible(s string) int {
	n := 0
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c < utf8.RuneSelf:
			if c != ' ' && (c < '\t' || c > '\r') {
				n++
			}
			i++
			continue
		case c >= 0xc2 && c <= 0xdf && i+1 < len(s) && s[i+1]&0xc0 == 0x80:
			if c != 0xc2 || s[i+1] != 0x85 && s[i+1] != 0xa0 {
				n++
			}
			i += 2
			continue
		case c >= 0xe1 && c <= 0xec && i+2 < len(s) && s[i+1]&0xc0 == 0x80 && s[i+2]&0xc0 == 0x80:
			if !isSpace3(c, s[i+1], s[i+2]) {
				n++
			}
			i += 3
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isSpace(r) {
			n++
		}
		i += size
	}
	return n
}

// isSpace3 reports whether the three bytes encode a White_Space rune.
func isSpace3(c0, c1, c2 byte) bool {
	switch c0 {
	case 0xe1:
		return c1 == 0x9a && c2 == 0x80 // U+1680
	case 0xe2:
		if c1 == 0x80 {
			return c2 >= 0x80 && c2 <= 0x8a || c2 == 0xa8 || c2 == 0xa9 || c2 == 0xaf
		}
		return c1 == 0x81 && c2 == 0x9f // U+205F
	case 0xe3:
		return c1 == 0x80 && c2 == 0x80 // U+3000
	}
	return false
}

// hasText reports whether textLen(n, false) > 0, stopping at the first
// rune it would count.
func hasText(n *html.Node) bool {
	switch n.Type {
	case html.TextNode:
		for _, r := range n.Data {
			if !isSpace(r) {
				return true
			}
		}
		return false
	case html.ElementNode:
		if isSkip(n.DataAtom) {
			return false
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if hasText(c) {
			return true
		}
	}
	return false
}

// para is one paragraph of body text with what the byline and lead rules
// need to know about how it was printed.
type para struct {
	text  string
	node  *html.Node // innermost block element holding the text
	bold  bool       // all its text is inside <b>/<strong>
	right bool       // it or a block around it is right-aligned
}

// paraWalker turns a body element into paragraphs.
type paraWalker struct {
	root    *html.Node
	buf     []byte // the raw text of the open paragraph, reused
	boldN   int
	plainN  int
	brs     int
	block   *html.Node
	cells   int
	paras   []para
	lastTxt string
}

func paragraphs(root *html.Node) []para {
	w := &paraWalker{root: root, block: root}
	w.walk(root, 0)
	w.flush()
	return w.paras
}

func (w *paraWalker) walk(n *html.Node, bold int) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			w.addText(c.Data, bold > 0)
		case html.ElementNode:
			a := c.DataAtom
			if isSkip(a) {
				continue
			}
			if a == atom.Br {
				w.brs++
				if w.brs >= 2 {
					w.flush()
				} else {
					w.buf = append(w.buf, ' ')
				}
				continue
			}
			if a == atom.Td || a == atom.Th {
				if w.cells > 0 && len(w.buf) > 0 {
					w.buf = append(w.buf, " | "...)
				}
				w.cells++
			}
			block := isBlock(a)
			prev := w.block
			if block {
				w.flush()
				w.block = c
				if a == atom.Tr {
					w.cells = 0
				}
			}
			b := bold
			if a == atom.B || a == atom.Strong {
				b++
			}
			w.walk(c, b)
			if block {
				w.flush()
				w.block = prev
			}
		}
	}
}

func (w *paraWalker) addText(s string, bold bool) {
	for _, r := range s {
		if !isSpace(r) && r != '\u00a0' && r != '\u200b' {
			w.brs = 0
			if bold {
				w.boldN++
			} else {
				w.plainN++
			}
			break
		}
	}
	w.buf = append(w.buf, s...)
}

func (w *paraWalker) flush() {
	bold := w.boldN > 0 && w.plainN == 0
	w.boldN, w.plainN, w.brs = 0, 0, 0
	if len(w.buf) == 0 {
		return
	}
	t := cleanBytes(w.buf)
	w.buf = w.buf[:0]
	t = strings.TrimPrefix(t, "| ")
	if t == "" || t == "|" || t == w.lastTxt {
		return
	}
	w.lastTxt = t
	w.paras = append(w.paras, para{text: t, node: w.block, bold: bold, right: rightAligned(w.block, w.root)})
}

// rightAligned reports whether n or a block between it and root is
// right-aligned (align="right" or style text-align:right).
func rightAligned(n, root *html.Node) bool {
	for ; n != nil; n = n.Parent {
		for _, a := range n.Attr {
			switch a.Key {
			case "align":
				if strings.EqualFold(strings.TrimSpace(a.Val), "right") {
					return true
				}
			case "style":
				v := strings.ToLower(a.Val)
				if i := strings.Index(v, "text-align"); i >= 0 {
					rest := strings.TrimLeft(v[i+len("text-align"):], " :")
					if strings.HasPrefix(rest, "right") {
						return true
					}
				}
			}
		}
		if n == root {
			break
		}
	}
	return false
}

// attr returns the value of n's attribute key.
func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// classID is n's class and id attributes, lower case, space separated.
// Callers look for words and substrings without spaces in it.
func classID(n *html.Node) string {
	c, id := "", ""
	for _, a := range n.Attr {
		switch a.Key {
		case "class":
			c = a.Val
		case "id":
			id = a.Val
		}
	}
	switch {
	case id == "":
		return strings.ToLower(c)
	case c == "":
		return strings.ToLower(id)
	}
	return strings.ToLower(c + " " + id)
}

// describe names an element like a CSS selector: div#id.class1.class2.
func describe(n *html.Node) string {
	if n.Type == html.TextNode {
		return "#text"
	}
	if n.Type == html.CommentNode {
		return "#comment"
	}
	id, class := attr(n, "id"), attr(n, "class")
	if id == "" && class == "" {
		return n.Data
	}
	var b strings.Builder
	b.Grow(len(n.Data) + 1 + len(id) + 1 + len(class))
	b.WriteString(n.Data)
	if id != "" {
		b.WriteByte('#')
		b.WriteString(id)
	}
	for c := range strings.FieldsSeq(class) {
		b.WriteByte('.')
		b.WriteString(c)
	}
	return b.String()
}

// isAncestor reports whether a is n or one of its ancestors.
func isAncestor(a, n *html.Node) bool {
	for ; n != nil; n = n.Parent {
		if n == a {
			return true
		}
	}
	return false
}

// commonAncestor is the lowest element holding both a and b.
func commonAncestor(a, b *html.Node) *html.Node {
	for x := a; x != nil; x = x.Parent {
		if isAncestor(x, b) {
			return x
		}
	}
	return nil
}

// shorten cuts s to at most n runes, marking the cut with "…".
func shorten(s string, n int) string {
	if !moreRunes(s, n) {
		return s
	}
	i := 0
	for j := range s {
		if i == n {
			return s[:j] + "…"
		}
		i++
	}
	return s
}

// moreRunes reports whether s has more than n runes, counting them only
// when its length leaves a doubt (a rune takes one to four bytes, an
// invalid byte counts as one rune).
func moreRunes(s string, n int) bool {
	switch {
	case len(s) <= n:
		return false
	case len(s) > 4*n:
		return true
	}
	return utf8.RuneCountInString(s) > n
}

// moreWords reports whether s has more than n words (len(strings.Fields(s))
// > n), without splitting it.
func moreWords(s string, n int) bool {
	k := 0
	for range strings.FieldsSeq(s) {
		if k++; k > n {
			return true
		}
	}
	return false
}

// findElement returns the first element for which f holds, in document
// order below root (root included).
func findElement(root *html.Node, f func(*html.Node) bool) *html.Node {
	if root.Type == html.ElementNode && f(root) {
		return root
	}
	for c := root.FirstChild; c != nil; c = c.NextSibling {
		if n := findElement(c, f); n != nil {
			return n
		}
	}
	return nil
}

// isSpace is unicode.IsSpace without its table lookup: the White_Space
// runes are listed (TestIsSpace checks every rune against unicode.IsSpace).
func isSpace(r rune) bool {
	switch {
	case r < utf8.RuneSelf:
		return r == ' ' || r >= '\t' && r <= '\r'
	case r < 0x1680:
		return r == 0x85 || r == 0xa0
	case r <= 0x3000:
		return r == 0x1680 || r >= 0x2000 && r <= 0x200a || r == 0x2028 || r == 0x2029 ||
			r == 0x202f || r == 0x205f || r == 0x3000
	}
	return false
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
