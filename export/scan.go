package export

import (
	"bytes"
	"fmt"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// This file holds the small JSON reader the export writers use instead of
// encoding/json: a stored record is json.Marshal(record.Record), a flat object whose
// values the writers mostly copy or unquote, so splitting it into raw member
// values is enough and runs several times faster than decoding into a record.Record.
// The reader never panics: malformed input yields an error wrapping
// ErrBadRecord. Tests check it against encoding/json.

// scanMembers splits the top-level JSON object raw into its members and calls
// set(key, value) for each, value being the raw JSON of the member's value
// (a sub-slice of raw). A key containing escapes is unquoted into scratch.
func scanMembers(raw []byte, scratch []byte, set func(key, val []byte)) ([]byte, error) {
	i := skipSpace(raw, 0)
	if i >= len(raw) || raw[i] != '{' {
		return scratch, fmt.Errorf("%w: not a json object", ErrBadRecord)
	}
	i = skipSpace(raw, i+1)
	if i < len(raw) && raw[i] == '}' {
		return scratch, checkEnd(raw, i+1)
	}
	for {
		if i >= len(raw) || raw[i] != '"' {
			return scratch, fmt.Errorf("%w: expected a key at offset %d", ErrBadRecord, i)
		}
		end, err := skipString(raw, i)
		if err != nil {
			return scratch, err
		}
		key := raw[i+1 : end-1]
		if bytes.IndexByte(key, '\\') >= 0 {
			scratch, err = unquoteAppend(scratch[:0], raw[i:end])
			if err != nil {
				return scratch, err
			}
			key = scratch
		}
		i = skipSpace(raw, end)
		if i >= len(raw) || raw[i] != ':' {
			return scratch, fmt.Errorf("%w: expected ':' at offset %d", ErrBadRecord, i)
		}
		i = skipSpace(raw, i+1)
		vend, err := skipValue(raw, i)
		if err != nil {
			return scratch, err
		}
		set(key, raw[i:vend])
		i = skipSpace(raw, vend)
		if i >= len(raw) {
			return scratch, fmt.Errorf("%w: unterminated object", ErrBadRecord)
		}
		switch raw[i] {
		case ',':
			i = skipSpace(raw, i+1)
		case '}':
			return scratch, checkEnd(raw, i+1)
		default:
			return scratch, fmt.Errorf("%w: unexpected %q at offset %d", ErrBadRecord, raw[i], i)
		}
	}
}

func checkEnd(raw []byte, i int) error {
	if skipSpace(raw, i) != len(raw) {
		return fmt.Errorf("%w: trailing data after object", ErrBadRecord)
	}
	return nil
}

func skipSpace(b []byte, i int) int {
	for i < len(b) {
		switch b[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// skipString returns the offset just past the JSON string starting at b[i]
// (which must be '"').
func skipString(b []byte, i int) (int, error) {
	j := i + 1
	for {
		k := bytes.IndexByte(b[j:], '"')
		if k < 0 {
			return 0, fmt.Errorf("%w: unterminated string at offset %d", ErrBadRecord, i)
		}
		q := j + k
		// The quote is escaped when preceded by an odd run of backslashes.
		n := 0
		for p := q - 1; p > i && b[p] == '\\'; p-- {
			n++
		}
		if n%2 == 0 {
			return q + 1, nil
		}
		j = q + 1
	}
}

// skipValue returns the offset just past the JSON value starting at b[i].
func skipValue(b []byte, i int) (int, error) {
	if i >= len(b) {
		return 0, fmt.Errorf("%w: missing value", ErrBadRecord)
	}
	switch c := b[i]; {
	case c == '"':
		return skipString(b, i)
	case c == '{' || c == '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				e, err := skipString(b, j)
				if err != nil {
					return 0, err
				}
				j = e - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1, nil
				}
			}
		}
		return 0, fmt.Errorf("%w: unterminated %q at offset %d", ErrBadRecord, c, i)
	default:
		j := i
		for j < len(b) {
			switch b[j] {
			case ',', '}', ']', ' ', '\t', '\n', '\r':
				if j == i {
					return 0, fmt.Errorf("%w: missing value at offset %d", ErrBadRecord, i)
				}
				return j, nil
			}
			j++
		}
		if j == i {
			return 0, fmt.Errorf("%w: missing value", ErrBadRecord)
		}
		return j, nil
	}
}

// isNull reports whether the raw value is JSON null (or absent).
func isNull(v []byte) bool { return len(v) == 0 || string(v) == "null" }

// unquoteAppend appends the text of the JSON string literal s (quotes
// included) to dst. Like encoding/json, it turns invalid surrogates into
// U+FFFD. When s has no escape sequence the caller may use s[1:len(s)-1]
// directly; stringText does that.
func unquoteAppend(dst, s []byte) ([]byte, error) {
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return dst, fmt.Errorf("%w: not a json string", ErrBadRecord)
	}
	s = s[1 : len(s)-1]
	for len(s) > 0 {
		k := bytes.IndexByte(s, '\\')
		if k < 0 {
			return append(dst, s...), nil
		}
		dst = append(dst, s[:k]...)
		s = s[k:]
		if len(s) < 2 {
			return dst, fmt.Errorf("%w: bad escape", ErrBadRecord)
		}
		switch s[1] {
		case '"', '\\', '/':
			dst = append(dst, s[1])
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			r, ok := hex4(s[2:])
			if !ok {
				return dst, fmt.Errorf("%w: bad \\u escape", ErrBadRecord)
			}
			s = s[6:]
			if utf16.IsSurrogate(r) {
				if len(s) >= 6 && s[0] == '\\' && s[1] == 'u' {
					if r2, ok := hex4(s[2:]); ok {
						if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
							s = s[6:]
							dst = utf8.AppendRune(dst, dec)
							continue
						}
					}
				}
				r = utf8.RuneError
			}
			dst = utf8.AppendRune(dst, r)
			continue
		default:
			return dst, fmt.Errorf("%w: bad escape \\%c", ErrBadRecord, s[1])
		}
		s = s[2:]
	}
	return dst, nil
}

func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// stringText returns the text of the raw JSON value v: the unquoted string,
// the literal for numbers and booleans, "" for null or an absent value. The
// result aliases v when no unescaping is needed, scratch otherwise.
func stringText(v, scratch []byte) (text, newScratch []byte, err error) {
	if isNull(v) {
		return nil, scratch, nil
	}
	if v[0] != '"' {
		return v, scratch, nil
	}
	if len(v) >= 2 && bytes.IndexByte(v[1:len(v)-1], '\\') < 0 {
		return v[1 : len(v)-1], scratch, nil
	}
	scratch, err = unquoteAppend(scratch[:0], v)
	return scratch, scratch, err
}

// appendStringList appends the strings of the JSON array v joined by sep to
// dst. null or [] append nothing.
func appendStringList(dst, v []byte, sep string) ([]byte, error) {
	if isNull(v) {
		return dst, nil
	}
	if v[0] != '[' {
		return dst, fmt.Errorf("%w: expected a list, got %.20q", ErrBadRecord, v)
	}
	i := skipSpace(v, 1)
	first := true
	for i < len(v) && v[i] != ']' {
		end, err := skipValue(v, i)
		if err != nil {
			return dst, err
		}
		if !first {
			dst = append(dst, sep...)
		}
		first = false
		if v[i] == '"' {
			if dst, err = unquoteAppend(dst, v[i:end]); err != nil {
				return dst, err
			}
		} else if !isNull(v[i:end]) {
			dst = append(dst, v[i:end]...)
		}
		i = skipSpace(v, end)
		if i < len(v) && v[i] == ',' {
			i = skipSpace(v, i+1)
		}
	}
	return dst, nil
}

// isEmptyList reports whether v is null, absent or an empty JSON array.
func isEmptyList(v []byte) bool {
	if isNull(v) {
		return true
	}
	return len(v) >= 2 && v[0] == '[' && skipSpace(v, 1) == len(v)-1
}

// quoteKey returns the JSON encoding of a field name (they are plain ASCII).
func quoteKey(name string) string { return strconv.Quote(name) }
