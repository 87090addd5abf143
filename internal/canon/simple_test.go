package canon

import (
	"net/url"
	"reflect"
	"strings"
	"testing"
)

// simpleBases are the bases the fast path is checked against: usual ones,
// and ones it must leave to net/url.
var simpleBases = []string{
	"",
	"http://127.0.0.1:8080/nd/tin-tap-doan.html",
	"https://WWW.Vinachem.com.vn:443/Desktop.aspx/Tin-tuc/",
	"HTTP://h:80/a/b?q=1#f",
	"https://h:8443",
	"http://u:p@h/x",
	"http://[::1]:8080/",
	"http://:80/",
	"ftp://h/x",
	"mailto:a@b",
	"/relative/base",
	"http://h/a/./b/../c?x=1&utm_source=y#f",
	"http://h/a%2Fb/c?q",
	"http://h/a b/c",
	"http://h/?",
	"http://h?b=2&a=1",
	"http://h/a?q=%zz&x=é",
	"http://h/a?q=~",
	"https://u@H.VN:443",
	"http:opaque",
}

// simpleRefs are links in the forms the fast path takes and in forms close
// to them that it must leave to net/url.
var simpleRefs = []string{
	"/", "/nd/tin/abc.html", "/nd/tin/abc.html?utm_source=fb&utm_medium=x&id=3#comments",
	"/Desktop.aspx/Tin-tuc/Tin-tap-doan/Bai_viet/", "/a?", "/a??b", "/a?b?c", "/a#", "/a#b#c", "/a?#", "/?x=1",
	"/a/./b", "/a/../b", "/.", "/..", "/a/.", "/.well-known/x", "/a//b", "//h/x", "///x", "/a%20b", "/a b",
	"  /padded  ", "/a:b", "/a@b", "/a;b=c", "/a+b", "/a!b", "/a*b", "/a'b", "/tiếng-việt", "/a?q=tiếng", "/a#tiếng",
	"/a?%zz", "/a#%zz", "/a#%41", "/a?b=%41", "/a\x00b", "/a?\x7f", "/a#\t",
	"http://h", "http://h/", "https://h", "http://h?x=1", "http://h#f", "http://H.Example.COM/X",
	"HTTPS://WWW.Vinachem.com.vn:443/a?b=2&a=1#top", "http://h:80", "http://h:8080/x?utm_source=fb&id=3&fbclid=Z",
	"http://h:", "http://:80/", "http://h:8a/", "http://h:80:80/", "http://u:p@h/x", "http://[::1]/x", "http://h_1/x",
	"http://h/a/../b", "http://h/./a", "http://h//a", "http://", "http:///x", "http:/x", "http:x", "https//h/x",
	"http://h/Desktop.ASPX/A/", "http://www.h.vn/a.html?print=1&id=2", "http://h/a.html?view=print",
	"mailto:?subject=a%20b", "javascript:void(0)", "tel:123", "ftp://h/x", "a/b", "?page=2", "#top", "", "*",
	"#", "# x", "#%zz", "#%41", "#a#b", "#\x01", "mailto:%zz", "MAILTO:x", "Http:x", "a+b.c-d:x", "1a:x", ":x", "a_b:x",
}

func TestSimpleMatchesNetURL(t *testing.T) {
	refs := append([]string(nil), simpleRefs...)
	// Every byte in every part of the simple forms.
	for c := range 256 {
		b := string(rune(c))
		if c >= 0x80 {
			b = string([]byte{byte(c)})
		}
		for _, tpl := range []string{"http://h%s.vn:8080/p?q=1#f", "http://h.vn:80%s/p", "/p%s/q", "/p?q%s=1", "/p#f%s", "%s/p", "http%s://h/p", "http:%s//h/p"} {
			refs = append(refs, strings.Replace(tpl, "%s", b, 1))
		}
	}
	var bases []*url.URL
	for _, bs := range simpleBases {
		var base *url.URL
		if bs != "" {
			var err error
			if base, err = url.Parse(bs); err != nil {
				t.Fatal(err)
			}
		}
		bases = append(bases, base)
	}
	// Bases net/url would not parse, as a program may build them.
	bases = append(bases,
		&url.URL{Scheme: "http", Host: "h", Path: "a/b"},
		&url.URL{Scheme: "http", Host: "h", Path: "/a", RawQuery: "q=a b"},
		&url.URL{Scheme: "http", Host: "h", Path: "/a/b", RawPath: "/a%2Fb"},
		&url.URL{Scheme: "http", Host: "h", Path: "/a", ForceQuery: true},
		&url.URL{Scheme: "HTTPS", Host: "H:8443", Path: "/a", User: url.User("u")},
	)
	for _, base := range bases {
		for _, ref := range refs {
			checkSimple(t, base, ref)
		}
	}
}

// checkSimple checks that Parse and Key, fast path or not, give what
// net/url gives.
func checkSimple(t *testing.T, base *url.URL, ref string) {
	t.Helper()
	got, gerr := Parse(base, ref)
	want, werr := parseURL(base, strings.TrimSpace(ref))
	if (gerr == nil) != (werr == nil) || gerr != nil && gerr.Error() != werr.Error() {
		t.Fatalf("Parse(%v, %q): error %v, net/url %v", base, ref, gerr, werr)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Parse(%v, %q) = %#v, net/url %#v", base, ref, got, want)
	}
	if got != nil && got.String() != want.String() {
		t.Fatalf("Parse(%v, %q) = %q, net/url %q", base, ref, got, want)
	}
	if OtherScheme(strings.TrimSpace(ref)) && werr == nil {
		t.Fatalf("OtherScheme(%q), yet Parse(%v, it) = %v", ref, base, want)
	}
	if SameDocument(strings.TrimSpace(ref)) {
		doc, err := parseURL(base, "")
		if (err == nil) != (werr == nil) || !reflect.DeepEqual(doc, want) {
			t.Fatalf("SameDocument(%q), yet Parse(%v, it) = %v, %v; Parse(base, \"\") = %v, %v", ref, base, want, werr, doc, err)
		}
	}
	if base != nil {
		return
	}
	gk, gerr := Key(ref)
	wk, werr := keyURL(strings.TrimSpace(ref))
	if gk != wk || (gerr == nil) != (werr == nil) || gerr != nil && gerr.Error() != werr.Error() {
		t.Fatalf("Key(%q) = %q, %v; net/url %q, %v", ref, gk, gerr, wk, werr)
	}
}

func FuzzSimple(f *testing.F) {
	for i, ref := range simpleRefs {
		f.Add(ref, uint8(i))
	}
	f.Fuzz(func(t *testing.T, ref string, b uint8) {
		var base *url.URL
		if bs := simpleBases[int(b)%len(simpleBases)]; bs != "" {
			base, _ = url.Parse(bs)
		}
		checkSimple(t, base, ref)
	})
}
