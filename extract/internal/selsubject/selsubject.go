// Package selsubject reads, from a CSS selector group's source text, what
// each selector requires of the element it matches (its subject compound's
// element name, classes and attributes): a cheap necessary condition that
// extract's selectors test before asking cascadia.
package selsubject

import "strings"

// Subject is what a selector requires of the element it matches: the
// type and class selectors of its subject (last) compound.
type Subject struct {
	Tag     string   // lower case; "" for any
	Classes []string // as written (class names are case-sensitive)
	Attrs   []string // attribute names (lower case) it must have
}

// Of returns the subjects of a selector group, or nil when that
// is not certain. It reads the source text and only accepts a plain subset
// of CSS: names, ".class", "#id", ":pseudo" without arguments, "[attr…]"
// (quoted values without escapes), the combinators " ", ">", "+", "~",
// and "," between selectors. Anything else (escapes, parentheses,
// comments, "*", "|", non-ASCII) gives nil, and so does a subject that
// requires nothing of those. Within that subset a selector's subject is its
// last compound, where cascadia parses a leading name as a type selector
// (lower-cased), ".name" as a class selector, "#name" as an id selector and
// "[name…]" as an attribute selector (name lower-cased), each a condition
// every match meets. src must compile.
func Of(src string) []Subject {
	var out []Subject
	var cur Subject      // the compound being read, or the last one
	inCompound := false  // src[i] continues the compound cur
	end := func() bool { // the selector ends with cur
		if cur.Tag == "" && len(cur.Classes) == 0 && len(cur.Attrs) == 0 {
			return false
		}
		out = append(out, cur)
		return true
	}
	for i := 0; i < len(src); {
		c := src[i]
		if !inCompound && c != ',' && !isSpaceOrCombinator(c) {
			cur, inCompound = Subject{}, true
			if isASCIILetter(c) {
				j := nameEnd(src, i)
				cur.Tag = strings.ToLower(src[i:j])
				i = j
				continue
			}
		}
		switch {
		case c == '.' || c == '#' || c == ':':
			k := i + 1
			if c == ':' && k < len(src) && src[k] == ':' {
				k++
			}
			j := nameEnd(src, k)
			if j == k {
				return nil
			}
			switch c {
			case '.':
				cur.Classes = append(cur.Classes, src[k:j])
			case '#':
				cur.Attrs = append(cur.Attrs, "id")
			}
			i = j
		case c == '[':
			j := attrEnd(src, i)
			if j < 0 {
				return nil
			}
			if key := attrKey(src[i+1 : j]); key != "" {
				cur.Attrs = append(cur.Attrs, key)
			}
			i = j + 1
		case isSpaceOrCombinator(c):
			inCompound = false
			i++
		case c == ',':
			if !end() {
				return nil
			}
			inCompound = false
			i++
		default:
			return nil // a name after "]", "*", an escape, parentheses…
		}
	}
	if !end() {
		return nil
	}
	return out
}

func isSpaceOrCombinator(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', '\f', '>', '+', '~':
		return true
	}
	return false
}

// nameEnd returns the end of the run of ASCII name characters (letters,
// digits, "-", "_") from src[i].
func nameEnd(src string, i int) int {
	for i < len(src) {
		c := src[i]
		if !isASCIILetter(c) && (c < '0' || c > '9') && c != '-' && c != '_' {
			break
		}
		i++
	}
	return i
}

// attrKey returns the attribute an attribute selector's inside (between
// "[" and "]") requires, lower case: its name when it is plain ASCII and
// followed by "]" or one of the operators "=", "~=", "|=", "^=", "$=", "*="
// (not "!=", which matches elements without it); "" otherwise.
func attrKey(in string) string {
	in = strings.TrimLeft(in, " \t\n\r\f")
	j := nameEnd(in, 0)
	if j == 0 || !isASCIILetter(in[0]) {
		return ""
	}
	rest := strings.TrimLeft(in[j:], " \t\n\r\f")
	if rest != "" && !strings.HasPrefix(rest, "=") && (len(rest) < 2 || rest[1] != '=' || !strings.ContainsRune("~|^$*", rune(rest[0]))) {
		return ""
	}
	return strings.ToLower(in[:j])
}

// attrEnd returns the index of the "]" closing the attribute selector that
// starts at src[i] ("["), or -1 when it has an escape, a parenthesis
// outside quotes (as a "#=" regular expression may) or does not close.
func attrEnd(src string, i int) int {
	var quote byte
	for i++; i < len(src); i++ {
		switch c := src[i]; {
		case c == '\\':
			return -1
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '(' || c == ')':
			return -1
		case c == ']':
			return i
		}
	}
	return -1
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
