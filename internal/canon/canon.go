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
	host := strings.ToLower(u.Hostname())
	port := u.Port()
	if port == "" || u.Scheme == "http" && port == "80" || u.Scheme == "https" && port == "443" {
		u.Host = bracket(host)
	} else {
		u.Host = bracket(host) + ":" + port
	}
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
	if raw == "" {
		return ""
	}
	parts := strings.Split(raw, "&")
	kept := parts[:0]
	for _, p := range parts {
		if p == "" {
			continue
		}
		k := p
		if i := strings.IndexByte(p, '='); i >= 0 {
			k = p[:i]
		}
		if uk, err := url.QueryUnescape(k); err == nil {
			k = uk
		}
		if drop(k) {
			continue
		}
		kept = append(kept, p)
	}
	sort.SliceStable(kept, func(i, j int) bool { return paramKey(kept[i]) < paramKey(kept[j]) })
	return strings.Join(kept, "&")
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
	u, err := Parse(nil, raw)
	if err != nil {
		return "", err
	}
	host := strings.TrimPrefix(u.Host, "www.")
	path := u.EscapedPath()
	if strings.Contains(strings.ToLower(path), ".aspx") {
		path = strings.ToLower(path)
	}
	if len(path) > 1 {
		path = strings.TrimRight(path, "/")
	}
	q := dropParams(u.RawQuery, isPrintParam)
	key := host + path
	if q != "" {
		key += "?" + q
	}
	return key, nil
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
