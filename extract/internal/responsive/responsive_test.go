package responsive

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func TestShown(t *testing.T) {
	for _, c := range []struct {
		in, want string
		ok       bool
	}{
		{"hidden md:block", "md:block", true},
		{"px-4 hidden lg:flex", "px-4 lg:flex", true},
		{"hidden md:block-mV", "md:block-mV", true}, // a theme's suffix
		{"d-none d-md-block", "d-md-block", true},
		{"col-md-8 hidden-xs", "col-md-8", true},
		// Hidden everywhere, or on wide screens: left alone.
		{"hidden", "hidden", false},
		{"d-none", "d-none", false},
		{"md:hidden", "md:hidden", false},
		{"block md:hidden", "block md:hidden", false},
		{"d-md-none", "d-md-none", false},
		{"overflow-hidden", "overflow-hidden", false},
		{"hidden-lg", "hidden-lg", false},
		{"", "", false},
	} {
		got, ok := Shown(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("Shown(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestUnhide(t *testing.T) {
	doc, err := html.Parse(strings.NewReader(`<div class="hidden md:block" id="a"><p class="hidden">x</p></div><nav class="d-none d-lg-flex">y</nav>`))
	if err != nil {
		t.Fatal(err)
	}
	if n := Unhide(doc); n != 2 {
		t.Errorf("Unhide rewrote %d elements, want 2", n)
	}
	var b strings.Builder
	if err := html.Render(&b, doc); err != nil {
		t.Fatal(err)
	}
	want := `<div class="md:block" id="a"><p class="hidden">x</p></div><nav class="d-lg-flex">y</nav>`
	if !strings.Contains(b.String(), want) {
		t.Errorf("rendered %s, want it to hold %s", b.String(), want)
	}
}
