package selsubject

import (
	"strings"
	"testing"
)

func TestOf(t *testing.T) {
	for _, tc := range []struct {
		sel  string
		want string // subjects as "tag.class|…"; "nil": no pre-filter
	}{
		{"div", "div"},
		{"DIV.Foo#bar.x", "div.Foo.x@id"},
		{"div.NewsDetail > h1.Title, div.cms.view.content > h2", "h1.Title|h2"},
		{`div.NewsDetail > div.Content > p[style*="right"], div.cms.view.content > div.meta > span > label`, "p@style|label"},
		{"div.Breadcrumb > a:last-child, ul.cms.breadcrumbs > li:last-child > a", "a|a"},
		{"div.Title h1", "h1"},
		{".PostDate", ".PostDate"},
		{"div>p+span~em.a_b-c", "em.a_b-c"},
		{`a[title="x, y > z.q"]`, "a@title"},
		{`a[title="]"] , .b`, "a@title|.b"},
		{`[ Data-X ~= "a" i]`, "@data-x"},
		{`[itemprop="author"]`, "@itemprop"},
		{`[a!="x"]`, "nil"},
		{`p[a!="x"]`, "p"},
		{`p[a #= (x)]`, "nil"},
		{`p[a="(x)"]`, "p@a"},
		{"  p  ", "p"},
		{"p::before", "p"},
		{`[data-x].cls`, ".cls@data-x"},
		{"div .x#y:hover", ".x@id"},
		{"div, #x", "div|@id"},
		{"div, :first-child", "nil"},
		{"div > *", "nil"},
		{"*.x", "nil"},
		{"p:not(.x)", "nil"},
		{"p:contains(a)", "nil"},
		{`p\.x`, "nil"},
		{`a[title="\""]`, "nil"},
		{"div /* c */ p", "nil"},
		{"ns|p", "nil"},
		{"pé", "nil"},
		{".é", "nil"},
	} {
		subs := Of(tc.sel)
		got := "nil"
		if subs != nil {
			var parts []string
			for _, s := range subs {
				parts = append(parts, s.Tag+strings.Join(append([]string{""}, s.Classes...), ".")+strings.Join(append([]string{""}, s.Attrs...), "@"))
			}
			got = strings.Join(parts, "|")
		}
		if got != tc.want {
			t.Errorf("Of(%q) = %s, want %s", tc.sel, got, tc.want)
		}
	}
}
