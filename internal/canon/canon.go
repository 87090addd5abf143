// Package canon normalises URLs: once before a URL is fetched or queued
// (Clean), and into an identity key under which one article is stored
// whatever variant of its address was used (Key).
//
// Clean keeps the address fetchable: it resolves it against a base, lower-cases
// scheme and host, drops default ports, fragments and tracking parameters, and
// sorts the query. Key goes further and is not a URL: it also ignores the
// scheme, a leading "www.", a trailing slash, print-view parameters and, on
// IIS/ASP.NET paths (".aspx"), the letter case of the path.
package canon

import (
	"errors"
	"net/url"
	"sort"
	"strings"
)

// ErrNotHTTP is returned for URLs whose scheme is not http or https.
var ErrNotHTTP = errors.New("not an http(s) url")

// trackingParams are removed before fetching. Prefix entries end with "_".
var trackingParams = []string{
	"utm_", "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid",
	"zarsrc", "zaloid", "mc_cid", "mc_eid", "_ga", "_gl", "igshid", "ref_src",
	"cmpid", "spm", "share", "fb_action_ids", "fb_action_types", "fb_source",
}

// printParams select a print view of the same article. Other parameters
// (view=, mode=, layout=) can select different content, so only their
// value "print" is ignored.
var printParams = map[string]bool{"print": true, "printable": true, "printview": true, "print_view": true}

// isPrintParam reports whether a raw query parameter only asks for a print
// view: print=1, printable, or any key with the value "print".
func isPrintParam(p string) bool {
	k, v, _ := strings.Cut(p, "=")
	return printParams[strings.ToLower(k)] || strings.EqualFold(v, "print")
}

func isTracking(key string) bool {
	k := strings.ToLower(key)
	for _, p := range trackingParams {
		if strings.HasSuffix(p, "_") && strings.HasPrefix(k, p) || k == p {
			return true
		}
	}
	return false
}

// Clean resolves ref against base (which may be nil) and returns it ready to
// fetch: absolute, http(s), lower-case scheme and host, no default port, no
// fragment, no tracking parameters, query parameters sorted.
func Clean(base *url.URL, ref string) (string, error) {
	u, err := Parse(base, ref)
	if err != nil {
		return "", err
	}
	return u.String(), nil
}

// Parse is Clean returning the parsed URL.
func Parse(base *url.URL, ref string) (*url.URL, error) {
	ref = strings.TrimSpace(ref)
	if p, ok := splitSimple(base, ref); ok {
		return &url.URL{Scheme: p.scheme, Host: p.host, Path: p.path, RawQuery: cleanQuery(p.rawQuery, isTracking)}, nil
	}
	return parseURL(base, ref)
}

// SameDocument reports whether the trimmed ref is empty or a fragment
// alone (without escapes): a link to its base document itself. Parse(base,
// ref) then returns what Parse(base, "") returns.
func SameDocument(ref string) bool {
	return ref == "" || ref[0] == '#' && !strings.Contains(ref, "%")
}

// OtherScheme reports whether the trimmed ref starts with a URL scheme, as
// net/url reads one, other than http or https (mailto:, javascript:):
// Parse then fails whatever the base.
func OtherScheme(ref string) bool {
	for i := 0; i < len(ref); i++ {
		switch c := ref[i]; {
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		case i > 0 && c == ':':
			return !strings.EqualFold(ref[:i], "http") && !strings.EqualFold(ref[:i], "https")
		default:
			return false
		}
	}
	return false
}

// parseURL is Parse through net/url, for any trimmed ref.
func parseURL(base *url.URL, ref string) (*url.URL, error) {
	u, err := url.Parse(ref)
	if err != nil {
		return nil, err
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, ErrNotHTTP
	}
	if u.Host == "" {
		return nil, errors.New("url has no host")
	}
	u.Host = normHost(u.Scheme, u.Host)
	u.Fragment, u.RawFragment = "", ""
	u.User = nil
	if u.Path == "" {
		u.Path = "/"
		u.RawPath = ""
	}
	u.RawQuery = cleanQuery(u.RawQuery, isTracking)
	u.ForceQuery = false
	return u, nil
}

// normHost lower-cases the host of a http(s) URL's host[:port] and drops
// the scheme's default port.
func normHost(scheme, hostport string) string {
	hp := url.URL{Host: hostport}
	host := strings.ToLower(hp.Hostname())
	port := hp.Port()
	if port == "" || scheme == "http" && port == "80" || scheme == "https" && port == "443" {
		return bracket(host)
	}
	if hostport == host+":"+port && !strings.Contains(host, ":") {
		return hostport // already normal: no new string
	}
	return bracket(host) + ":" + port
}

func bracket(host string) string {
	if strings.Contains(host, ":") {
		return "[" + host + "]"
	}
	return host
}

// cleanQuery drops the parameters drop selects and sorts the rest by key,
// keeping the order of repeated keys. It works on the raw query so that
// encodings the server relies on survive.
func cleanQuery(raw string, drop func(string) bool) string {
	if raw == "" || cleanAlready(raw, drop) {
		return raw
	}
	parts := strings.Split(raw, "&")
	kept := parts[:0]
	for _, p := range parts {
		if p == "" {
			continue
		}
		if drop(unescapedKey(p)) {
			continue
		}
		kept = append(kept, p)
	}
	sort.SliceStable(kept, func(i, j int) bool { return paramKey(kept[i]) < paramKey(kept[j]) })
	return strings.Join(kept, "&")
}

// cleanAlready reports whether cleanQuery would return raw as it is: no
// empty parameter, none to drop, keys in order.
func cleanAlready(raw string, drop func(string) bool) bool {
	prev := ""
	for rest, more := raw, true; more; {
		var p string
		p, rest, more = strings.Cut(rest, "&")
		if p == "" || drop(unescapedKey(p)) {
			return false
		}
		k := paramKey(p)
		if k < prev {
			return false
		}
		prev = k
	}
	return true
}

// unescapedKey returns a raw parameter's key, unescaped when it can be.
func unescapedKey(p string) string {
	k := paramKey(p)
	if uk, err := url.QueryUnescape(k); err == nil {
		return uk
	}
	return k
}

// dropParams removes the raw parameters drop selects, keeping the order.
func dropParams(raw string, drop func(param string) bool) string {
	if raw == "" {
		return ""
	}
	var kept []string
	for _, p := range strings.Split(raw, "&") {
		if p != "" && !drop(p) {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, "&")
}

func paramKey(p string) string {
	if i := strings.IndexByte(p, '='); i >= 0 {
		return p[:i]
	}
	return p
}

// Key returns the identity key of an absolute URL: the URLs of one article
// that differ only in scheme, "www.", letter case of an IIS path, trailing
// slash, tracking or print-view parameters share one key.
func Key(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if p, ok := splitSimple(nil, raw); ok {
		// Parse would leave p's path as it is (no escaping needed).
		return key(p.host, p.path, cleanQuery(p.rawQuery, isTracking)), nil
	}
	return keyURL(raw)
}

// keyURL is Key through net/url, for any trimmed raw URL.
func keyURL(raw string) (string, error) {
	u, err := parseURL(nil, raw)
	if err != nil {
		return "", err
	}
	return key(u.Host, u.EscapedPath(), u.RawQuery), nil
}

// key builds the identity key of a cleaned URL's host, escaped path (ASCII,
// as net/url escapes every other byte) and raw query.
func key(host, path, rawQuery string) string {
	host = strings.TrimPrefix(host, "www.")
	if hasASPX(path) {
		path = strings.ToLower(path)
	}
	if len(path) > 1 {
		path = strings.TrimRight(path, "/")
	}
	q := dropParams(rawQuery, isPrintParam)
	if q == "" {
		return host + path
	}
	return host + path + "?" + q
}

// hasASPX reports whether path contains ".aspx" in any ASCII letter case.
func hasASPX(path string) bool {
	for i := strings.IndexByte(path, '.'); i >= 0; {
		if rest := path[i+1:]; len(rest) >= 4 && rest[0]|0x20 == 'a' && rest[1]|0x20 == 's' && rest[2]|0x20 == 'p' && rest[3]|0x20 == 'x' {
			return true
		}
		j := strings.IndexByte(path[i+1:], '.')
		if j < 0 {
			return false
		}
		i += 1 + j
	}
	return false
}

// SameHost reports whether a and b name the same host, letter case and a
// leading "www." aside.
func SameHost(a, b *url.URL) bool { return hostNoWWW(a) == hostNoWWW(b) }

func hostNoWWW(u *url.URL) string {
	return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
}

// SameSite reports whether host is one of allowed (compared without port and
// letter case; "www." is significant only if allowed lists it).
func SameSite(host string, allowed []string) bool {
	h := strings.ToLower(host)
	if i := strings.LastIndexByte(h, ':'); i >= 0 && !strings.HasSuffix(h, "]") {
		h = h[:i]
	}
	h = strings.Trim(h, "[]")
	for _, a := range allowed {
		if strings.EqualFold(h, a) {
			return true
		}
	}
	return len(allowed) == 0
}

// EffectivePort is u's port, or its scheme's default (443 for https, else
// 80): what makes two URLs of one host the same server.
func EffectivePort(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if strings.EqualFold(u.Scheme, "https") {
		return "443"
	}
	return "80"
}
