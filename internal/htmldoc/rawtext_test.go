package htmldoc

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// rawTextSeeds are pages whose scripts and styles take the tokenizer's
// turns: escapes, end tags in strings, data scripts, foreign content.
var rawTextSeeds = []string{
	`<html><head><style>p{color:red}</style><script>var a = "</p>"; if (a<b) {}</script></head><body><p>Text</p></body></html>`,
	`<script type="application/ld+json">{"@type":"NewsArticle","headline":"A"}</script><p>x</p>`,
	`<script>document.write("<!--<script>x</script>-->")</script><p>after</p>`,
	`<script><!--<script></script>--></script><p>after</p>`,
	`<script><!-- </script> --><p>after</p>`,
	`<script>a</SCRIPT >b</script><p>c</p>`,
	`<script>a</scripty></script><p>c</p>`,
	`<style>a</style x="</style>">b</style>`,
	`<title><script>x</script></title><p>y</p>`,
	`<textarea></textarea x><script>z</script>`,
	`<!-- <script> --><p>a</p><script>b</script>`,
	`<!--><script>b</script><p>c</p>`,
	`<!---><script>b</script>`,
	`<!-- --!><script>b</script>`,
	`<p a="<script>">x</p><script>y</script>`,
	`<p a='>'<script>x</script>`,
	`<p a=<script>x</script>`,
	`<p =a>x</p><script>y</script>`,
	`<?xml <script>?><script>x</script>`,
	`</ p><script>x</script>`,
	`</><script>x</script>`,
	`<svg><style><p>a</p></style></svg><script>x</script>`,
	`<math><script><b>x</b></script></math>`,
	`<frameset><script> x </script></frameset>`,
	`<noscript><script>x</script></noscript><p>y</p>`,
	`<xmp><script>x</script></xmp><script>y</script>`,
	`<script type="text/template"><p>tpl</p></script><script type="module">import x</script>`,
	`<script type="text&#47;javascript">x</script>`,
	`<plaintext><script>x</script>`,
	`<script>unterminated`,
	`<script>a<!--b`,
	`<script>a<!--<script>b</script>c-->d</script><p>e</p>`,
	`<script><!--<script>a</script>-</script>b</script><p>c</p>`,
	`<scrip><script/>x</script>`,
	`<table><script>x</script><style>y</style></table>`,
	`<select><script>x</script></select>`,
	`<template><script>x</script><style>y</style></template>`,
	`<iframe><script>x</script></iframe><noembed><style>y</style></noembed>`,
	"<script\n type=module\f>x</script\t>",
	`<script src=a.js></script><script type="">x</script>`,
}

func FuzzDropCode(f *testing.F) {
	for _, s := range rawTextSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		checkDropCode(t, b)
	})
}

func TestDropCode(t *testing.T) {
	for _, s := range rawTextSeeds {
		t.Run(s, func(t *testing.T) { checkDropCode(t, []byte(s)) })
	}
}

func TestDropCodeDrops(t *testing.T) {
	for in, want := range map[string]string{
		`<style>p{}</style><script>var a="</p>"</script><p>x</p>`:             `<style></style><script></script><p>x</p>`,
		`<script type="application/ld+json">{}</script><script>f()</script>`:  `<script type="application/ld+json">{}</script><script></script>`,
		`<script>f()</script><svg><style>s</style></svg><script>g()</script>`: `<script></script><svg><style>s</style></svg><script>g()</script>`,
		`<p>no code</p>`: `<p>no code</p>`,
	} {
		if got := string(dropCode([]byte(in))); got != want {
			t.Errorf("dropCode(%q) = %q, want %q", in, got, want)
		}
	}
}

// checkDropCode asserts that b parsed after dropCode is b parsed, less
// the text of HTML scripts and styles, with every data script's text.
func checkDropCode(t *testing.T, b []byte) {
	t.Helper()
	want, wantData := parseDump(t, b)
	got, gotData := parseDump(t, dropCode(b))
	if got != want {
		t.Fatalf("tree differs after dropCode(%q) = %q:\n got %s\nwant %s", b, dropCode(b), got, want)
	}
	if gotData != wantData {
		t.Fatalf("data scripts differ after dropCode(%q):\n got %q\nwant %q", b, gotData, wantData)
	}
}

// parseDump parses b and returns its tree, the text of HTML scripts and
// styles left out, and the text of its data scripts (a type with "json").
func parseDump(t *testing.T, b []byte) (tree, data string) {
	t.Helper()
	root, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	var tb, db strings.Builder
	var walk func(n *html.Node, depth int)
	walk = func(n *html.Node, depth int) {
		fmt.Fprintf(&tb, "%d %d %s %q %v\n", depth, n.Type, n.Namespace, n.Data, n.Attr)
		code := n.Type == html.ElementNode && n.Namespace == "" && (n.DataAtom == atom.Script || n.DataAtom == atom.Style)
		if code && strings.Contains(strings.ToLower(attrOf(n, "type")), "json") {
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				db.WriteString(c.Data + "\x00")
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if code && c.Type == html.TextNode {
				continue
			}
			walk(c, depth+1)
		}
	}
	walk(root, 0)
	return tb.String(), db.String()
}

func attrOf(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func TestWorthDropping(t *testing.T) {
	page := func(code int) []byte {
		return []byte(`<html><head><style>` + strings.Repeat("p{}", code) + `</style></head><body>` + strings.Repeat("<p>text</p>", 100) + `</body></html>`)
	}
	if worthDropping(page(10)) {
		t.Error("a page of 3 % CSS is worth dropping")
	}
	if !worthDropping(page(1000)) {
		t.Error("a page of 70 % CSS is not worth dropping")
	}
	if !worthDropping([]byte(`<p>x</p><script>` + strings.Repeat("f();", 100))) {
		t.Error("an unterminated script of most of the page is not worth dropping")
	}
}
