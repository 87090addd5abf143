package classname

import "testing"

func TestIsChrome(t *testing.T) {
	for cls, want := range map[string]bool{
		"sidebar":                      true,
		"content-sidebar widget-area":  true,
		"relatednews":                  true,
		"navbar-top":                   true,
		"layouttwocolumnsrightsidebar": false, // a page wrapper
		"entry-content":                false,
		"":                             false,
	} {
		if got := IsChrome(cls); got != want {
			t.Errorf("IsChrome(%q) = %v, want %v", cls, got, want)
		}
	}
}

func TestIsTitle(t *testing.T) {
	for cls, want := range map[string]bool{
		"newsheadtext":     false,
		"articletitle":     true,
		"news-headline":    true,
		"widget-title":     false,
		"subtitle":         false,
		"tieu-de bai-viet": true,
	} {
		if got := IsTitle(cls); got != want {
			t.Errorf("IsTitle(%q) = %v, want %v", cls, got, want)
		}
	}
}
