package section

import (
	"net/url"
	"testing"
)

func TestIsLink(t *testing.T) {
	page, _ := url.Parse("https://portal.example/nd/tin-tap-doan/hoi-nghi-2024.html")
	for href, want := range map[string]bool{
		"/nd/tin-tap-doan/": true, "/nd/tin-tap-doan.html": true, "https://portal.example/nd/": true, "../tin-tap-doan/": true,
		"/": false, "/nd/tin-tap-doan/hoi-nghi-2024.html": false, "/nd/tin-tap": false, "https://other.example/nd/": false, "#top": false, "": false,
	} {
		if got := IsLink(href, page); got != want {
			t.Errorf("IsLink(%q) = %v, want %v", href, got, want)
		}
	}
}
