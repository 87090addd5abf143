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
