package htmldoc

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func TestText(t *testing.T) {
	doc, err := html.Parse(strings.NewReader(`<p id=a>one</p><div id=b>two <b>three</b> <!-- no --><i>four</i></div>`))
	if err != nil {
		t.Fatal(err)
	}
	body := doc.FirstChild.LastChild
	if got := Text(body.FirstChild); got != "one" {
		t.Errorf("Text(p) = %q", got)
	}
	if got := Text(body.LastChild); got != "two three four" {
		t.Errorf("Text(div) = %q", got)
	}
}
