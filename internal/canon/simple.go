package canon

import (
	"net/url"
	"strings"
)

// The common forms of links, absolute ("https://host/path?query#frag") and
// root-relative ("/path?query#frag"), made of the characters nearly every
// link uses, are split here without net/url: a crawl resolves tens of
// thousands of them. Anything else (an escape, a relative path, a dot
// segment, user info, an IP literal, another scheme) is left to net/url.
// TestSimpleMatchesNetURL and FuzzSimple check that both agree.

// simpleURL is a cleaned URL's parts before its query is cleaned.
type simpleURL struct {
	scheme, host, path, rawQuery string
}

// splitSimple returns what url.Parse(ref), resolved against base when base
// is not nil, and normalised as Parse does (scheme and host lower-cased,
// default port and fragment dropped, empty path made "/") would hold, for
// a ref (already trimmed) in one of the simple forms; ok is false for
// every other ref, and for a base that Parse would reject.
func splitSimple(base *url.URL, ref string) (p simpleURL, ok bool) {
	rest, absolute := ref, true
	switch {
	case ref == "":
		// The base itself (ResolveReference), if simple.
		return simpleBase(base)
	case len(ref) > 1 && ref[0] == '/' && ref[1] != '/':
		// Root-relative: the base's scheme and host (ResolveReference).
		absolute = false
		if base == nil || base.Host == "" || base.Opaque != "" {
			return p, false
		}
		p.scheme = strings.ToLower(base.Scheme)
		if p.scheme != "http" && p.scheme != "https" {
			return p, false
		}
		p.host = normHost(p.scheme, base.Host)
	case hasPrefixFold(ref, "http://"):
		p.scheme, rest = "http", ref[len("http://"):]
	case hasPrefixFold(ref, "https://"):
		p.scheme, rest = "https", ref[len("https://"):]
	default:
		return p, false
	}
	rest, frag, hasFrag := strings.Cut(rest, "#")
	if hasFrag && !simpleFragment(frag) {
		return p, false
	}
	rest, p.rawQuery, _ = strings.Cut(rest, "?")
	if !simpleQuery(p.rawQuery) {
		return p, false
	}
	if absolute {
		authority := rest
		if i := strings.IndexByte(rest, '/'); i >= 0 {
			authority, rest = rest[:i], rest[i:]
		} else {
			rest = ""
		}
		var ok bool
		if p.host, ok = simpleHost(p.scheme, authority); !ok {
			return p, false
		}
	}
	if !simplePath(rest) {
		return p, false
	}
	// A dot segment would be resolved against base (ResolveReference).
	if base != nil && strings.Contains(rest, "/.") {
		return p, false
	}
	p.path = rest
	if p.path == "" {
		p.path = "/"
	}
	return p, true
}

// simpleBase returns the parts of base, as Parse(base, "") returns them,
// for a base of the simple form.
func simpleBase(base *url.URL) (p simpleURL, ok bool) {
	if base == nil || base.Host == "" || base.Opaque != "" || base.RawPath != "" {
		return p, false
	}
	p.scheme = strings.ToLower(base.Scheme)
	if p.scheme != "http" && p.scheme != "https" || !simplePath(base.Path) || strings.Contains(base.Path, "/.") || !simpleQuery(base.RawQuery) {
		return p, false
	}
	p.host, p.path, p.rawQuery = normHost(p.scheme, base.Host), base.Path, base.RawQuery
	if p.path == "" {
		p.path = "/"
	}
	return p, true
}

// simpleHost returns a host[:port] of lower-case or upper-case ASCII
// letters, digits, dots and hyphens, with a non-empty numeric port or none,
// normalised; ok is false for any other authority.
func simpleHost(scheme, authority string) (string, bool) {
	name, port, hasPort := strings.Cut(authority, ":")
	if name == "" || hasPort && port == "" {
		return "", false
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; !isAlnum(c) && c != '.' && c != '-' {
			return "", false
		}
	}
	for i := 0; i < len(port); i++ {
		if c := port[i]; c < '0' || c > '9' {
			return "", false
		}
	}
	return normHost(scheme, authority), true
}

// simplePath reports whether p is empty or a path starting with "/" of
// characters that net/url neither unescapes nor escapes.
func simplePath(p string) bool {
	if p != "" && p[0] != '/' {
		return false
	}
	for i := 0; i < len(p); i++ {
		if c := p[i]; !isAlnum(c) && c != '/' && c != '-' && c != '.' && c != '_' && c != '~' {
			return false
		}
	}
	return true
}

// simpleQuery reports whether q holds printable ASCII only: net/url keeps a
// raw query as written.
func simpleQuery(q string) bool {
	for i := 0; i < len(q); i++ {
		if c := q[i]; c <= ' ' || c >= 0x7f {
			return false
		}
	}
	return true
}

// simpleFragment reports whether f holds printable ASCII without escapes:
// net/url then accepts it (and Parse drops it).
func simpleFragment(f string) bool {
	for i := 0; i < len(f); i++ {
		if c := f[i]; c <= ' ' || c >= 0x7f || c == '%' {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}
