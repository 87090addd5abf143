package htmldoc

import "bytes"

// dropCode returns b without the text of its scripts and style sheets:
// what no reader of parc's tree looks at, and what golang.org/x/net/html
// tokenizes a byte at a time (a fifth of parsing a news page, whose head
// carries its CSS and JavaScript inline). It keeps the elements
// themselves, and the text of scripts that may hold data (JSON-LD, and
// any type but JavaScript's).
//
// It finds those texts as the tokenizer of golang.org/x/net/html does,
// so the tree of the result is the tree of b less those text nodes
// (FuzzDropCode checks it). The tokenizer's states depend on the parser
// in foreign content (a <style> inside <svg> holds markup) and in a
// frameset: at the first <svg>, <math> or <frameset> tag dropCode stops
// and keeps the rest as it is. It returns b itself when it drops
// nothing.
func dropCode(b []byte) []byte {
	s := scanner{b: b}
	var out []byte
	kept := 0 // b[:kept] is in out
	for {
		j := bytes.IndexByte(b[s.i:], '<')
		if j < 0 {
			break
		}
		s.i += j + 1
		c, ok := s.peek()
		if !ok {
			break
		}
		switch {
		case isLetter(c):
			from, to, stop := s.startTag()
			if stop {
				return finish(out, b, kept)
			}
			if to > from {
				if out == nil {
					out = make([]byte, 0, len(b)-(to-from))
				}
				out = append(out, b[kept:from]...)
				kept = to
			}
		case c == '/':
			s.endTag()
		case c == '!':
			s.i++
			s.markupDeclaration()
		case c == '?':
			s.untilCloseAngle()
		}
		if s.i >= len(b) {
			break
		}
	}
	return finish(out, b, kept)
}

// worthDropping reports whether b's scripts and styles seem to hold an
// eighth of it or more (lower-case tags only, a guess that decides
// whether dropCode runs, never what it drops): below that, finding them
// costs about what tokenizing them does.
func worthDropping(b []byte) bool {
	code := 0
	for _, tag := range [...]string{"script", "style"} {
		open, end := []byte("<"+tag), []byte("</"+tag)
		for i := 0; ; {
			j := bytes.Index(b[i:], open)
			if j < 0 {
				break
			}
			i += j + len(open)
			k := bytes.Index(b[i:], end)
			if k < 0 {
				code += len(b) - i
				break
			}
			code += k
			i += k + len(end)
		}
	}
	return code >= len(b)/8
}

func finish(out, b []byte, kept int) []byte {
	if out == nil {
		return b
	}
	return append(out, b[kept:]...)
}

// scanner reads b as the tokenizer of golang.org/x/net/html does (its
// token.go, whose functions the methods below follow one for one): i is
// the next byte to read.
type scanner struct {
	b []byte
	i int
}

func (s *scanner) peek() (byte, bool) {
	if s.i >= len(s.b) {
		return 0, false
	}
	return s.b[s.i], true
}

func (s *scanner) read() (byte, bool) {
	c, ok := s.peek()
	if ok {
		s.i++
	}
	return c, ok
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f'
}

// startTag reads a start tag whose '<' has been read, and the raw text
// after it when the tag starts some. It returns the span of text to drop
// (from == to when none) and stop when the tag is one after which the
// tokenizer's states are the parser's to tell.
func (s *scanner) startTag() (from, to int, stop bool) {
	start := s.i
	s.i++
	name := s.tagName(start)
	tag := rawTag(name)
	var typ []byte
	ok := false
	if tag == "script" {
		typ, ok = s.attrs()
	} else {
		ok = s.skipAttrs()
	}
	switch {
	case !ok:
	case tag == "svg" || tag == "math" || tag == "frameset":
		return 0, 0, true
	case tag == "plaintext":
		s.i = len(s.b)
	case tag == "script":
		from = s.i
		s.script()
		if isJavaScript(typ) {
			return from, s.i, false
		}
	case tag == "style":
		from = s.i
		s.rawText(tag)
		return from, s.i, false
	case tag != "":
		s.rawText(tag)
	}
	return 0, 0, false
}

// rawTags are the tags after which the tokenizer reads raw text or
// RCDATA, and those after which dropCode stops.
var rawTags = []string{"script", "style", "iframe", "noembed", "noframes", "noscript", "textarea", "title", "xmp", "plaintext", "svg", "math", "frameset"}

// rawTag returns the one of rawTags that name is, whatever its case, or "".
func rawTag(name []byte) string {
	if len(name) < 3 || len(name) > 9 {
		return ""
	}
	for _, t := range rawTags {
		if len(t) == len(name) && bytes.EqualFold(name, []byte(t)) {
			return t
		}
	}
	return ""
}

// isJavaScript reports whether a script's type attribute, as written,
// says it is code: none, or a JavaScript type. One with a character
// reference is kept, whatever it decodes to.
func isJavaScript(typ []byte) bool {
	t := string(bytes.TrimSpace(bytes.ToLower(typ)))
	if bytes.IndexByte(typ, '&') >= 0 {
		return false
	}
	switch t {
	case "", "module", "text/javascript", "application/javascript", "application/x-javascript",
		"text/x-javascript", "text/ecmascript", "application/ecmascript":
		return true
	}
	return false
}

// tag reads a tag's name and attributes up to its '>' (readTag), the
// name's first byte next; it reports false when the page ends inside it.
func (s *scanner) tag() bool {
	start := s.i
	s.i++
	s.tagName(start)
	return s.skipAttrs()
}

// skipAttrs reads a tag's attributes and its '>' (readTag's loop), and
// reports false when the page ends first. With no quote before the next
// '>', that '>' ends the tag: neither names nor unquoted values go past
// one.
func (s *scanner) skipAttrs() bool {
	j := bytes.IndexByte(s.b[s.i:], '>')
	if j < 0 {
		s.i = len(s.b)
		return false
	}
	if bytes.IndexAny(s.b[s.i:s.i+j], `"'`) < 0 {
		s.i += j + 1
		return true
	}
	_, ok := s.attrs()
	return ok
}

// attrs reads a tag's attributes and its '>' (readTag's loop). It
// returns the value of the first "type" attribute, and false when the
// page ends inside the tag.
func (s *scanner) attrs() (typ []byte, ok bool) {
	if !s.skipSpace() {
		return nil, false
	}
	seenType := false
	for {
		c, more := s.read()
		if !more {
			return typ, false
		}
		if c == '>' {
			return typ, true
		}
		s.i--
		key := s.attrKey()
		val := s.attrVal()
		if !seenType && len(key) == 4 && bytes.EqualFold(key, []byte("type")) {
			typ, seenType = val, true
		}
		if !s.skipSpace() {
			return typ, false
		}
	}
}

func (s *scanner) tagName(start int) []byte {
	for {
		c, ok := s.read()
		if !ok {
			return s.b[start:s.i]
		}
		switch {
		case isSpace(c):
			return s.b[start : s.i-1]
		case c == '/' || c == '>':
			s.i--
			return s.b[start:s.i]
		}
	}
}

// skipSpace skips white space and reports whether the page goes on.
func (s *scanner) skipSpace() bool {
	for {
		c, ok := s.peek()
		if !ok {
			return false
		}
		if !isSpace(c) {
			return true
		}
		s.i++
	}
}

func (s *scanner) attrKey() []byte {
	start := s.i
	for {
		c, ok := s.read()
		if !ok {
			return s.b[start:s.i]
		}
		switch {
		case c == '=' && start+1 == s.i:
			continue // an '=' before the name is a character of it
		case c == '=' || isSpace(c) || c == '/' || c == '>':
			s.i--
			return s.b[start:s.i]
		}
	}
}

// attrVal reads "=" and an attribute value after a name, if there are
// any, and returns the value.
func (s *scanner) attrVal() []byte {
	if !s.skipSpace() {
		return nil
	}
	c, _ := s.read()
	if c == '/' {
		return nil
	}
	if c != '=' {
		s.i--
		return nil
	}
	if !s.skipSpace() {
		return nil
	}
	quote, _ := s.read()
	switch quote {
	case '>':
		s.i--
		return nil
	case '\'', '"':
		start := s.i
		j := bytes.IndexByte(s.b[s.i:], quote)
		if j < 0 {
			s.i = len(s.b)
			return s.b[start:]
		}
		s.i += j + 1
		return s.b[start : s.i-1]
	}
	start := s.i - 1
	for {
		c, ok := s.read()
		if !ok {
			return s.b[start:]
		}
		if isSpace(c) || c == '>' {
			s.i--
			return s.b[start:s.i]
		}
	}
}

// endTag reads what follows "<" + "/" (Next's EndTagToken case).
func (s *scanner) endTag() {
	s.i++ // the '/'
	c, ok := s.read()
	switch {
	case !ok, c == '>':
	case isLetter(c):
		s.i--
		s.tag()
	default:
		s.i--
		s.untilCloseAngle()
	}
}

// markupDeclaration reads what follows "<!": a comment, else (a doctype,
// a bogus comment; CDATA is foreign content's) up to the next '>'.
func (s *scanner) markupDeclaration() {
	if s.i+2 > len(s.b) {
		s.i = len(s.b)
		return
	}
	if s.b[s.i] == '-' && s.b[s.i+1] == '-' {
		s.i += 2
		s.comment()
		return
	}
	s.untilCloseAngle()
}

func (s *scanner) untilCloseAngle() {
	j := bytes.IndexByte(s.b[s.i:], '>')
	if j < 0 {
		s.i = len(s.b)
		return
	}
	s.i += j + 1
}

// comment reads a comment whose "<!--" has been read (readComment): it
// ends at "-->", "--!>", or a '>' right after the opening.
func (s *scanner) comment() {
	dashes, beginning := 0, true
	for {
		c, ok := s.read()
		if !ok {
			return
		}
		switch c {
		case '-':
			dashes++
			continue
		case '>':
			if dashes >= 2 || beginning {
				return
			}
		case '!':
			if dashes >= 2 {
				c, ok = s.read()
				switch {
				case !ok, c == '>':
					return
				case c == '-':
					dashes, beginning = 1, false
					continue
				}
			}
		}
		dashes, beginning = 0, false
	}
}

// rawText reads raw text or RCDATA up to its end tag (readRawOrRCDATA),
// which it leaves to be read next.
func (s *scanner) rawText(tag string) {
	for {
		j := bytes.Index(s.b[s.i:], []byte("</"))
		if j < 0 {
			s.i = len(s.b)
			return
		}
		s.i += j + 2
		if s.rawEndTag(tag) {
			return
		}
	}
}

// rawEndTag reads tag and a delimiter after "</" (readRawEndTag): when
// they are there it backs up to the '<' and reports true; else it leaves
// the scanner after the bytes that matched.
func (s *scanner) rawEndTag(tag string) bool {
	for k := 0; k < len(tag); k++ {
		c, ok := s.read()
		if !ok {
			return false
		}
		if c != tag[k] && c != tag[k]-('a'-'A') {
			s.i--
			return false
		}
	}
	c, ok := s.read()
	if !ok {
		return false
	}
	if isSpace(c) || c == '/' || c == '>' {
		s.i -= 3 + len(tag)
		return true
	}
	s.i--
	return false
}

// The states of script data (readScript).
const (
	scriptData = iota
	scriptEscaped
	scriptEscapedDash
	scriptEscapedDashDash
	scriptDoubleEscaped
	scriptDoubleEscapedDash
	scriptDoubleEscapedDashDash
)

// script reads a script's text up to its end tag, which it leaves to be
// read next, by the rules that hide "</script>" inside "<!--<script>"
// (readScript, state for state, x/net/html's own turns included).
func (s *scanner) script() {
	state := scriptData
	for {
		c, ok := s.read()
		if !ok {
			return
		}
		switch state {
		case scriptData:
			if c != '<' {
				continue
			}
			if state, ok = s.scriptDataLessThan(); !ok {
				return
			}
		case scriptEscaped, scriptEscapedDash, scriptEscapedDashDash:
			switch {
			case c == '-' && state == scriptEscaped:
				state = scriptEscapedDash
			case c == '-':
				state = scriptEscapedDashDash
			case c == '<':
				if state, ok = s.scriptEscapedLessThan(); !ok {
					return
				}
			case c == '>' && state == scriptEscapedDashDash:
				state = scriptData
			default:
				state = scriptEscaped
			}
		default: // double escaped
			switch {
			case c == '-' && state == scriptDoubleEscaped:
				state = scriptDoubleEscapedDash
			case c == '-':
				state = scriptDoubleEscapedDashDash
			case c == '<':
				state = s.scriptDoubleEscapedLessThan()
			case c == '>' && state == scriptDoubleEscapedDashDash:
				state = scriptData
			default:
				state = scriptDoubleEscaped
			}
		}
	}
}

// scriptDataLessThan follows a '<' in script data: the end tag (ok false,
// the scanner at its '<'), "<!--" (escaped), or more script data.
func (s *scanner) scriptDataLessThan() (state int, ok bool) {
	c, more := s.read()
	if !more {
		return scriptData, false
	}
	switch c {
	case '/':
		if s.rawEndTag("script") || s.i >= len(s.b) {
			return scriptData, false
		}
		return scriptData, true
	case '!':
		for range 2 {
			c, more = s.read()
			if !more {
				return scriptData, false
			}
			if c != '-' {
				s.i--
				return scriptData, true
			}
		}
		return scriptEscapedDashDash, true
	}
	s.i--
	return scriptData, true
}

// scriptEscapedLessThan follows a '<' in escaped script data: the end tag
// (ok false), "<script" and a delimiter (double escaped), or back to
// script data as x/net/html has it.
func (s *scanner) scriptEscapedLessThan() (state int, ok bool) {
	c, more := s.read()
	if !more {
		return scriptEscaped, false
	}
	if c == '/' {
		if s.rawEndTag("script") || s.i >= len(s.b) {
			return scriptEscaped, false
		}
		return scriptEscaped, true
	}
	if !isLetter(c) {
		s.i--
		return scriptData, true
	}
	s.i--
	for k := 0; k < len("script"); k++ {
		c, more = s.read()
		if !more {
			return scriptEscaped, false
		}
		if c != "script"[k] && c != "SCRIPT"[k] {
			s.i--
			return scriptEscaped, true
		}
	}
	c, more = s.read()
	if !more {
		return scriptEscaped, false
	}
	if isSpace(c) || c == '/' || c == '>' {
		return scriptDoubleEscaped, true
	}
	s.i--
	return scriptEscaped, true
}

// scriptDoubleEscapedLessThan follows a '<' in double escaped script
// data, where "</script>" only goes back to escaped.
func (s *scanner) scriptDoubleEscapedLessThan() int {
	c, more := s.read()
	if !more {
		return scriptDoubleEscaped
	}
	if c != '/' {
		s.i--
		return scriptDoubleEscaped
	}
	if s.rawEndTag("script") {
		s.i += len("</script>")
		return scriptEscaped
	}
	return scriptDoubleEscaped
}
