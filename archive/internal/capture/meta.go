package capture

import (
	"encoding/json"
	"slices"
	"strconv"
	"unicode/utf8"
)

// appendMeta appends the JSON encoding of m to dst, byte for byte
// what json.Marshal(m) produces, without reflection and, for headers of
// up to 32 keys, without allocating beyond the growth of dst.
//
// The only way the encoding can fail is m.FetchedAt having no RFC 3339
// form (a year outside [0,9999], or a zone offset of 24 h or more). In
// that rare case it returns dst at its original length and the very error
// json.Marshal(m) returns (obtained by calling it), so that callers
// report failures exactly as before.
func appendMeta(dst []byte, m *Meta) ([]byte, error) {
	// Constant capacities keep the sorted keys on the stack for usual
	// headers; append moves them to the heap only for larger ones.
	reqKeys, reqSize := sortedKeys(make([]string, 0, 32), m.RequestHeader)
	keys, respSize := sortedKeys(make([]string, 0, 32), m.Header)
	// Grow dst once: field names, punctuation, two ints and a time take
	// under 200 bytes; escapes may still need more.
	dst = slices.Grow(dst, 260+len(m.URL)+len(m.Method)+len(m.Digest)+len(m.Encoding)+len(m.Proto)+reqSize+respSize)
	n0 := len(dst)
	dst = append(dst, `{"url":`...)
	dst = appendJSONString(dst, m.URL)
	dst = append(dst, `,"method":`...)
	dst = appendJSONString(dst, m.Method)
	dst = append(dst, `,"request_header":`...)
	dst = appendJSONHeader(dst, m.RequestHeader, reqKeys)
	dst = append(dst, `,"status":`...)
	dst = strconv.AppendInt(dst, int64(m.Status), 10)
	dst = append(dst, `,"header":`...)
	dst = appendJSONHeader(dst, m.Header, keys)
	dst = append(dst, `,"fetched_at":"`...)
	// Time.MarshalJSON is '"' + AppendText + '"': both use the same
	// strict RFC 3339 formatter, and its output needs no escaping.
	// AppendText returns nil on error, so keep dst.
	out, err := m.FetchedAt.AppendText(dst)
	if err != nil {
		_, err = json.Marshal(m)
		return dst[:n0], err
	}
	dst = out
	dst = append(dst, `","digest":`...)
	dst = appendJSONString(dst, m.Digest)
	dst = append(dst, `,"size":`...)
	dst = strconv.AppendInt(dst, int64(m.Size), 10)
	if m.Encoding != "" {
		dst = append(dst, `,"encoding":`...)
		dst = appendJSONString(dst, m.Encoding)
	}
	if m.Wire {
		dst = append(dst, `,"wire":true`...)
	}
	if m.Decoded != 0 {
		dst = append(dst, `,"decoded":`...)
		dst = strconv.AppendInt(dst, int64(m.Decoded), 10)
	}
	if m.Proto != "" {
		dst = append(dst, `,"proto":`...)
		dst = appendJSONString(dst, m.Proto)
	}
	if m.Chunked {
		dst = append(dst, `,"chunked":true`...)
	}
	if m.ResponseAt != 0 {
		dst = append(dst, `,"response_at":`...)
		dst = strconv.AppendInt(dst, int64(m.ResponseAt), 10)
	}
	if m.PayloadAt != 0 {
		dst = append(dst, `,"payload_at":`...)
		dst = strconv.AppendInt(dst, int64(m.PayloadAt), 10)
	}
	return append(dst, '}'), nil
}

// sortedKeys appends the keys of h to keys in the order json.Marshal
// writes them (byte order), and returns them with a lower bound of the
// size of the JSON encoding of h.
func sortedKeys(keys []string, h map[string][]string) ([]string, int) {
	size := 2
	for k, vs := range h {
		keys = append(keys, k)
		size += len(k) + 6 // "k":[],
		for _, v := range vs {
			size += len(v) + 3 // "v",
		}
	}
	slices.Sort(keys)
	return keys, size
}

// appendJSONHeader appends h, whose keys sortedKeys returned, as
// json.Marshal writes a map[string][]string: null for a nil map, null
// for a nil slice of values.
func appendJSONHeader(dst []byte, h map[string][]string, keys []string) []byte {
	if h == nil {
		return append(dst, "null"...)
	}
	dst = append(dst, '{')
	for i, k := range keys {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendJSONString(dst, k)
		dst = append(dst, ':')
		vs := h[k]
		if vs == nil {
			dst = append(dst, "null"...)
			continue
		}
		dst = append(dst, '[')
		for j, v := range vs {
			if j > 0 {
				dst = append(dst, ',')
			}
			dst = appendJSONString(dst, v)
		}
		dst = append(dst, ']')
	}
	return append(dst, '}')
}

const jsonHex = "0123456789abcdef"

// jsonPlain reports the bytes appendJSONString copies without a look:
// printable ASCII but for `"`, `\`, <, > and &. It is never written to
// after initialisation (a table scans ~35 % faster than comparisons).
var jsonPlain = func() (t [256]bool) {
	for b := ' '; b < utf8.RuneSelf; b++ {
		t[b] = true
	}
	for _, b := range `"\<>&` {
		t[b] = false
	}
	return t
}()

// appendJSONString appends s quoted as encoding/json does with its default
// HTML escaping: `"` and `\` backslash-escaped; \b \f \n \r \t by name;
// other control bytes, <, > and & as \u00XX; U+2028 and U+2029 as \u2028
// and \u2029; each byte of invalid UTF-8 as \ufffd. Everything else,
// DEL included, is copied as is.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0 // s[start:i] is pending, needing no escape
	for i := 0; i < len(s); {
		b := s[i]
		if jsonPlain[b] {
			i++
			continue
		}
		if b < utf8.RuneSelf {
			dst = append(dst, s[start:i]...)
			switch b {
			case '"', '\\':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', jsonHex[b>>4], jsonHex[b&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', jsonHex[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
