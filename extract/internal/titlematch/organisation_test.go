package titlematch

import "testing"

func TestIsOrganisation(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want bool
	}{
		{"Hanns-Seidel-Stiftung e.V.", true}, {"Web Commerce GmbH www.w-commerce.de", true}, {"Acme Ltd", true},
		{"Example Media AG", true}, {"news.example.com", true}, {"Reuters Inc.", true},
		{"Ann Lee", false}, {"Agnes Gabriel", false}, {"Hồng Liên", false}, {"Astrid Lindgren", false}, {"Inga Hoeltmann", false},
	} {
		if got := isOrganisation(tc.s); got != tc.want {
			t.Errorf("isOrganisation(%q) = %v, want %v", tc.s, got, tc.want)
		}
	}
}

// A site's name with its tagline, and an organisation by its form, name
// the site rather than a person.
func TestIsSiteNameTaglineAndOrganisation(t *testing.T) {
	for _, tc := range []struct {
		s, site, host string
		want          bool
	}{
		{"L-MAG – Das Magazin für Lesben", "", "www.l-mag.de", true},
		{"Hanns-Seidel-Stiftung e.V.", "", "www.hss.de", true},
		{"Jasper Riemann – Barbara Schneider", "", "www.br.de", false},
		{"Ann Lee", "Example Times", "example.com", false},
	} {
		if got := IsSiteName(tc.s, tc.site, tc.host); got != tc.want {
			t.Errorf("IsSiteName(%q, %q, %q) = %v, want %v", tc.s, tc.site, tc.host, got, tc.want)
		}
	}
}
