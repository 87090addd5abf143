package byname

import "testing"

func TestIsUpperName(t *testing.T) {
	for s, want := range map[string]bool{
		"HỒNG LIÊN":             true,
		"KIM DUNG":              true,
		"THEO BÁO CÔNG THƯƠNG":  true,
		"Hồng Liên":             false,
		"24-02-2014 - 19:21 PM": false, // a date line in capitals is no name
		"19:21 PM":              false,
		"PV 12":                 false,
		"A":                     false,
		"":                      false,
	} {
		if got := IsUpperName(s); got != want {
			t.Errorf("IsUpperName(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestMentionsAuthor(t *testing.T) {
	for s, want := range map[string]bool{
		"Mehr über den Autor erfahren": true,
		"More from this author":        true,
		"About the authors":            true,
		"Xem thêm bài của tác giả":     true,
		"Lisa Borch":                   false,
		"Autorenteam Nord":             false,
		"Jane Authorson":               false,
	} {
		if got := MentionsAuthor(s); got != want {
			t.Errorf("MentionsAuthor(%q) = %v, want %v", s, got, want)
		}
	}
}
