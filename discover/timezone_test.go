package discover

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
)

func TestPageOffsets(t *testing.T) {
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(`<html lang="vi"><head>
<meta property="article:published_time" content="2024-01-08T09:30:00+07:00">
<meta property="article:modified_time" content="2024-01-08">
<script type="application/ld+json">{"datePublished": "2024-01-08T02:30:00Z", "dateModified":"2024-01-08T09:31:00+0700"}</script>
</head><body><time datetime="2024-01-08 09:30">8/1</time></body></html>`))
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(pageOffsets(doc), " ")
	if want := "+07:00 +00:00 +07:00"; got != want {
		t.Errorf("offsets %q, want %q (a date alone and a zone-less time say nothing)", got, want)
	}
}

func TestZoneOf(t *testing.T) {
	for _, c := range []struct{ offset, lang, want string }{
		{"+07:00", "vi", "Asia/Ho_Chi_Minh"},
		{"+07:00", "th", "Asia/Bangkok"},
		{"+07:00", "", "Asia/Ho_Chi_Minh"},
		{"+09:00", "ja-JP", "Asia/Tokyo"},
		{"+09:00", "", "Etc/GMT-9"},
		{"-05:00", "en", "Etc/GMT+5"},
		{"+05:30", "", "Asia/Kolkata"},
		{"+00:00", "", "UTC"},
	} {
		z, ok := zoneOf(c.offset, c.lang)
		if !ok || z != c.want {
			t.Errorf("zoneOf(%s, %q) = %q, %v; want %q", c.offset, c.lang, z, ok, c.want)
			continue
		}
		loc, err := time.LoadLocation(z)
		if err != nil {
			t.Errorf("%s: %v", z, err)
			continue
		}
		_, secs := time.Date(2024, 1, 8, 12, 0, 0, 0, loc).Zone()
		if off := time.Duration(secs) * time.Second; off.String() != offsetDuration(c.offset).String() {
			t.Errorf("%s is UTC%+v in January, want %s", z, off, c.offset)
		}
	}
	if _, ok := zoneOf("+05:17", ""); ok {
		t.Error("an odd offset got a zone")
	}
}

func offsetDuration(o string) time.Duration {
	d, _ := time.ParseDuration(strings.Replace(o[1:], ":", "h", 1) + "m")
	if o[0] == '-' {
		return -d
	}
	return d
}

func TestName(t *testing.T) {
	for raw, want := range map[string]string{
		"https://www.vinachem.com.vn/":   "vinachem.com.vn",
		"http://127.0.0.1:8081/":         "127.0.0.1-8081",
		"https://Example.org:443/news/":  "example.org",
		"http://example.org:443/":        "example.org-443",
		"https://www.example.org:8443/x": "example.org-8443",
		"http://[::1]:8081/":             "--1-8081",
	} {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		if got := Name(u); got != want {
			t.Errorf("Name(%s) = %q, want %q", raw, got, want)
		}
	}
}
