package config

import (
	"os"
	"testing"
)

// The config.yaml shipped at the top of the repo must parse, and its URL
// patterns must tell the real portal's article and listing URLs apart.
func TestShippedConfig(t *testing.T) {
	f, err := os.Open("../../config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c, err := Parse(f, "config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	articles := []string{
		"https://www.vinachem.com.vn/Desktop.aspx/Tin-tuc/Tin-thi-truong-san-pham/San_luong_lop_xe_cua_Trung_Quoc_tang_trong_thang_8/",
		"https://www.vinachem.com.vn/desktop.aspx/tin-tuc/tin-thi-truong-san-pham/san_luong_lop_xe/",
		"https://www.vinachem.com.vn/nd/tin-tap-doan/hoi-nghi-tong-ket-nam-2020.html",
		"https://vinachem.com.vn/nd/tin-tap-doan/hoi-nghi-tong-ket-nam-2020/2.html",
		"https://www.vinachem.com.vn/news/highlights-vnc/Vinachem_signs_agreement.html",
	}
	listings := []string{
		"https://www.vinachem.com.vn/",
		"https://www.vinachem.com.vn/Desktop.aspx/Tin-tuc/Tin-thi-truong-san-pham/",
		"https://www.vinachem.com.vn/Desktop.aspx/Tin-tuc/Tin-thi-truong-san-pham/?page=3",
		"https://www.vinachem.com.vn/nd/tin-tap-doan.html",
		"https://www.vinachem.com.vn/nd/tin-tap-doan/2.html",
	}
	for _, u := range articles {
		if !c.Portal.ArticleRE().MatchString(u) {
			t.Errorf("article_url does not match article %s", u)
		}
	}
	for _, u := range listings {
		if c.Portal.ArticleRE().MatchString(u) {
			t.Errorf("article_url matches listing %s", u)
		}
		if !c.Portal.ListingRE().MatchString(u) {
			t.Errorf("listing_url does not match listing %s", u)
		}
	}
}
