package titlematch

import "testing"

func TestRepeats(t *testing.T) {
	refs := NewRefs("Chiesa ruft zum «Widerstand» auf", "SVP-Parteitag: Chiesa ruft zum «Widerstand» auf | Tages-Anzeiger")
	cases := []struct {
		text string
		want int
		ref  string
	}{
		{"Chiesa ruft zum „Widerstand“ auf", Equal, "Chiesa ruft zum «Widerstand» auf"},
		{"SVP-Parteitag – Chiesa ruft zum «Widerstand» auf", Kicker, "Chiesa ruft zum «Widerstand» auf"},
		{"Tages-Anzeiger", None, ""},
		{"Widerstand", None, ""},
		{"Ein anderer Titel", None, ""},
	}
	for _, c := range cases {
		got, ref := refs.Repeats(c.text)
		if got != c.want || (ref != nil) != (c.ref != "") || ref != nil && ref.Text != c.ref {
			t.Errorf("Repeats(%q) = %d, %v; want %d, %q", c.text, got, ref, c.want, c.ref)
		}
	}
	// <title> "Site | Headline": the visible headline after the site name.
	if got, _ := NewRefs("Cổng thông tin Sở Mẫu | Khánh thành cầu mới nối hai bờ sông").Repeats("Khánh thành cầu mới nối hai bờ sông"); got != Part {
		t.Errorf("headline after a site-name prefix: %d, want Part", got)
	}
}

func TestRepeatsBetweenKickerAndSite(t *testing.T) {
	refs := NewRefs("Verkehr in der Stadt – Die alte Brücke wird saniert | Zeitung")
	if got, _ := refs.Repeats("Die alte Brücke wird saniert"); got != Part {
		t.Errorf("headline between kicker and site name: %d, want Part", got)
	}
	if got, _ := refs.Repeats("alte Brücke"); got != None {
		t.Errorf("two words of ten: %d, want None", got)
	}
}

// The title of a visible headline that <title> prints after a prefix:
// a kicker before a colon is part of it, a site name before "::" is not.
func TestTitleAfterAPrefix(t *testing.T) {
	for _, c := range []struct{ ref, text, want string }{
		{"Ukraine: Waffenruhe hält", "Waffenruhe hält", "Ukraine: Waffenruhe hält"},
		{"Vinachem :: Công ty CP Hóa chất Việt Trì ký kết chương trình", "Công ty CP Hóa chất Việt Trì ký kết chương trình", "Công ty CP Hóa chất Việt Trì ký kết chương trình"},
	} {
		m, ref := NewRefs(c.ref).Repeats(c.text)
		if ref == nil {
			t.Fatalf("%q does not repeat %q", c.ref, c.text)
		}
		if got := Title(c.text, m, ref); got != c.want {
			t.Errorf("Title(%q) after %q = %q, want %q", c.text, c.ref, got, c.want)
		}
	}
}
