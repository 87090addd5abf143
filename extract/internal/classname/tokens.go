package classname

import "strings"

// ContainsAny reports whether cls contains one of subs.
func ContainsAny(cls string, subs ...string) bool {
	if cls == "" {
		return false
	}
	for _, s := range subs {
		if strings.Contains(cls, s) {
			return true
		}
	}
	return false
}

// HasTokenPrefix reports whether a token of cls starts with one of
// prefixes, or equals one with its trailing "-"/"_" trimmed.
func HasTokenPrefix(cls string, prefixes ...string) bool {
	if cls == "" {
		return false
	}
	for tok := range strings.FieldsSeq(cls) {
		for _, p := range prefixes {
			if strings.HasPrefix(tok, p) || tok == strings.TrimRight(p, "-_") {
				return true
			}
		}
	}
	return false
}

// HasToken reports whether cls has one of toks as a whole token.
func HasToken(cls string, toks ...string) bool {
	if cls == "" {
		return false
	}
	for tok := range strings.FieldsSeq(cls) {
		for _, t := range toks {
			if tok == t {
				return true
			}
		}
	}
	return false
}
