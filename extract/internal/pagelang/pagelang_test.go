package pagelang

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func TestOf(t *testing.T) {
	for _, tc := range []struct {
		page, lang string
		vi         bool
	}{
		{`<html lang="vi"><body></body></html>`, "vi", true},
		{`<html LANG=" vi-VN "><body></body></html>`, "vi-vn", true},
		{`<html lang="en"><body></body></html>`, "en", false},
		{`<html><body></body></html>`, "", false},
		{`<p>no html element written</p>`, "", false},
	} {
		root, err := html.Parse(strings.NewReader(tc.page))
		if err != nil {
			t.Fatal(err)
		}
		if got := Of(root); got != tc.lang || IsVietnamese(got) != tc.vi {
			t.Errorf("%s: lang %q (Vietnamese %v), want %q (%v)", tc.page, got, IsVietnamese(got), tc.lang, tc.vi)
		}
	}
}
