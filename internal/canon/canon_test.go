package canon

import (
	"net/url"
	"testing"
)

func TestClean(t *testing.T) {
	base, _ := url.Parse("https://www.vinachem.com.vn/Desktop.aspx/Tin-tuc/")
	tests := []struct{ in, want string }{
		{"HTTPS://WWW.Vinachem.com.vn:443/a?b=2&a=1#top", "https://www.vinachem.com.vn/a?a=1&b=2"},
		{"http://h:80", "http://h/"},
		{"http://h:8080/x?utm_source=fb&utm_medium=x&id=3&fbclid=Z&zarsrc=30&gclid=1", "http://h:8080/x?id=3"},
		{"Tin-tap-doan/Bai_viet/", "https://www.vinachem.com.vn/Desktop.aspx/Tin-tuc/Tin-tap-doan/Bai_viet/"},
		{"/nd/tin/abc.html?print=1", "https://www.vinachem.com.vn/nd/tin/abc.html?print=1"},
		{"http://u:p@h/x", "http://h/x"},
	}
	for _, tt := range tests {
		got, err := Clean(base, tt.in)
		if err != nil || got != tt.want {
			t.Errorf("Clean(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"mailto:a@b", "javascript:void(0)", "ftp://h/x", "http://"} {
		if got, err := Clean(nil, bad); err == nil {
			t.Errorf("Clean(%q) = %q, want an error", bad, got)
		}
	}
}

func TestKeySameArticle(t *testing.T) {
	groups := [][]string{
		{
			"https://www.vinachem.com.vn/Desktop.aspx/Tin-tuc/Tin-tap-doan/Bai_viet/",
			"http://vinachem.com.vn/desktop.aspx/tin-tuc/tin-tap-doan/bai_viet",
			"https://www.vinachem.com.vn/Desktop.aspx/Tin-tuc/Tin-tap-doan/Bai_viet/?utm_source=x#c",
			"https://www.vinachem.com.vn/Desktop.aspx/Tin-tuc/Tin-tap-doan/Bai_viet/?print=1",
		},
		{"https://h.vn/nd/tin/abc.html", "https://h.vn/nd/tin/abc.html?fbclid=1", "https://h.vn/nd/tin/abc.html/"},
	}
	keys := map[string]int{}
	for g, urls := range groups {
		for _, u := range urls {
			k, err := Key(u)
			if err != nil {
				t.Fatal(err)
			}
			if prev, ok := keys[k]; ok && prev != g {
				t.Errorf("%s shares key %q with another article", u, k)
			}
			keys[k] = g
		}
	}
	if len(keys) != len(groups) {
		t.Errorf("%d keys for %d articles: %v", len(keys), len(groups), keys)
	}
	// Parameters that pick content are not print views.
	v1, _ := Key("https://h.vn/index.php?view=article&id=12")
	v2, _ := Key("https://h.vn/index.php?view=category&id=12")
	v3, _ := Key("https://h.vn/index.php?view=print&id=12")
	v4, _ := Key("https://h.vn/index.php?id=12")
	if v1 == v2 {
		t.Error("view=article and view=category merged")
	}
	if v3 != v4 {
		t.Errorf("view=print not ignored: %q vs %q", v3, v4)
	}
	// Paths outside IIS keep their case: they can be different articles.
	a, _ := Key("https://h.vn/nd/tin/ABC.html")
	b, _ := Key("https://h.vn/nd/tin/abc.html")
	if a == b {
		t.Error("case-sensitive paths merged")
	}
}

func TestSameSite(t *testing.T) {
	allowed := []string{"vinachem.com.vn", "www.vinachem.com.vn", "127.0.0.1"}
	for host, want := range map[string]bool{
		"WWW.Vinachem.com.vn": true, "127.0.0.1:8081": true, "evil.com": false, "vinachem.com.vn.evil.com": false,
	} {
		if got := SameSite(host, allowed); got != want {
			t.Errorf("SameSite(%q) = %v", host, got)
		}
	}
}

func TestSameHost(t *testing.T) {
	for _, c := range []struct {
		a, b string
		same bool
	}{
		{"https://www.Vinachem.com.vn/a", "http://vinachem.com.vn/b", true},
		{"https://vinachem.com.vn:8443/a", "https://vinachem.com.vn/b", true}, // the port is not the host
		{"https://m.vinachem.com.vn/a", "https://vinachem.com.vn/b", false},
		{"https://wwwvinachem.com.vn/", "https://vinachem.com.vn/", false},
	} {
		a, _ := url.Parse(c.a)
		b, _ := url.Parse(c.b)
		if got := SameHost(a, b); got != c.same {
			t.Errorf("SameHost(%s, %s) = %v, want %v", c.a, c.b, got, c.same)
		}
	}
}
