package readable

import (
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/parc-archiver/parc/extract/internal/nodes"
)

func parse(t *testing.T, body string) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader("<html><body>" + body + "</body></html>"))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestElementByline(t *testing.T) {
	cases := []struct{ name, html, want string }{
		{"rel author", `<p>x</p><a rel="author" href="/a">Ann Lee</a>`, "Ann Lee"},
		{"itemprop name inside", `<div class="byline">By <span itemprop="name">Bo Chen</span> on Monday</div>`, "Bo Chen"},
		{"hidden element skipped", `<div class="author" style="display: none">Hidden Name</div><div class="byline">Cy Park</div>`, "Cy Park"},
		{"inside a comment block skipped", `<div class="comments"><span class="author">Troll</span></div><span class="byline">Di Ross</span>`, "Di Ross"},
		{"a maybe word keeps an unlikely block", `<div class="sidebar-content"><span class="author">Eva Holm</span></div>`, "Eva Holm"},
		{"long text is no byline", `<div class="author">` + strings.Repeat("word ", 30) + `</div>`, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := ElementByline(parse(t, c.html)); got != c.want {
				t.Errorf("ElementByline = %q, want %q", got, c.want)
			}
		})
	}
}

func TestMetaAuthor(t *testing.T) {
	cases := []struct {
		name string
		meta map[string]string
		last string
		want string
	}{
		{"dc:creator first", map[string]string{"dc:creator": "Ann Lee", "author": "Bo Chen"}, "Bo Chen", "Ann Lee"},
		{"the last author tag", map[string]string{"author": "Ann Lee, Bo Chen"}, "Bo Chen", "Bo Chen"},
		{"a placeholder is skipped", map[string]string{"author": "null", "parsely-author": "Cy Park"}, "null", "Cy Park"},
		{"article:author as a URL is no name", map[string]string{"article:author": "https://facebook.com/ann"}, "", ""},
		{"article:author as a name", map[string]string{"article:author": "Di Ross"}, "", "Di Ross"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := MetaAuthor(c.meta, c.last); got != c.want {
				t.Errorf("MetaAuthor = %q, want %q", got, c.want)
			}
		})
	}
}

func TestProseBefore(t *testing.T) {
	const story = `<div id="story"><p>The first paragraph of the story.</p></div>`
	cases := []struct {
		name, between string
		want          bool
	}{
		{"nothing between", "", false},
		{"a meta line", `<div class="meta">By Ann Lee | 12/03/2024 10:15</div>`, false},
		{"a caption", `<figure><img src="a.jpg"><figcaption>` + strings.Repeat("A long caption of the picture above. ", 4) + `</figcaption></figure>`, false},
		{"a picture box by its class", `<div class="article__cover">` + strings.Repeat("A long caption of the picture above. ", 4) + `</div>`, false},
		{"a standfirst", `<div class="q4">` + strings.Repeat("The council approved the plan on Monday. ", 3) + `</div>`, true},
		{"a standfirst's links do not count", `<div class="q4"><a href="/x">` + strings.Repeat("The council approved the plan on Monday. ", 3) + `</a></div>`, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc := parse(t, `<div class="box"><h1>Headline</h1>`+c.between+story+`</div>`)
			h1 := nodes.FindElement(doc, func(n *html.Node) bool { return n.Data == "h1" })
			body := nodes.FindElement(doc, func(n *html.Node) bool { return nodes.Attr(n, "id") == "story" })
			if got := ProseBefore(body, h1); got != c.want {
				t.Errorf("ProseBefore = %v, want %v", got, c.want)
			}
		})
	}
	t.Run("headline after the body", func(t *testing.T) {
		doc := parse(t, `<div id="story"><p>Text.</p></div><h1>Headline</h1><div>`+strings.Repeat("words ", 40)+`</div>`)
		h1 := nodes.FindElement(doc, func(n *html.Node) bool { return n.Data == "h1" })
		body := nodes.FindElement(doc, func(n *html.Node) bool { return nodes.Attr(n, "id") == "story" })
		if ProseBefore(body, h1) {
			t.Error("ProseBefore = true for a headline after the body: it read what follows the headline")
		}
	})
	t.Run("headline inside the body", func(t *testing.T) {
		doc := parse(t, `<div id="story"><h1>Headline</h1><div>`+strings.Repeat("words ", 40)+`</div><p>Text.</p></div>`)
		h1 := nodes.FindElement(doc, func(n *html.Node) bool { return n.Data == "h1" })
		body := nodes.FindElement(doc, func(n *html.Node) bool { return nodes.Attr(n, "id") == "story" })
		if ProseBefore(body, h1) {
			t.Error("ProseBefore = true for a headline inside the body")
		}
	})
}

func TestFormWidget(t *testing.T) {
	cases := []struct {
		name, html string
		want       bool
	}{
		{"a consent toggle", `<div id="w"><label><input type="checkbox"> Externer Inhalt</label></div>`, true},
		{"a newsletter box", `<form id="w"><span>Newsletter</span><input type="email"><button>Sign up</button></form>`, true},
		{"a paragraph beside the control", `<div id="w"><p>The council voted.</p><input type="checkbox"></div>`, false},
		{"no control", `<div id="w"><span>Externer Inhalt</span></div>`, false},
		{"much text beside the control", `<div id="w"><span>` + strings.Repeat("word ", 60) + `</span><input></div>`, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := nodes.FindElement(parse(t, c.html), func(n *html.Node) bool { return nodes.Attr(n, "id") == "w" })
			if got := FormWidget(n); got != c.want {
				t.Errorf("FormWidget = %v, want %v", got, c.want)
			}
		})
	}
}
