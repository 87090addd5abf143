package extract

import (
	"strings"
	"testing"
	"time"
)

// extractHTML extracts a hand-written page with no selectors, in loc.
func extractHTML(t *testing.T, page, pageURL string, loc *time.Location) *Article {
	t.Helper()
	x, err := New(Options{Location: loc})
	if err != nil {
		t.Fatal(err)
	}
	in := Input{FetchedAt: fetchedAt}
	if pageURL != "" {
		in.URL = mustURL(pageURL)
	}
	art, err := x.Extract(strings.NewReader(page), in)
	if err != nil {
		t.Fatal(err)
	}
	return art
}

const dateBody = `<p>Der Gemeinderat hat am Abend nach langer Debatte beschlossen, die alte Brücke über den Fluss zu sanieren statt sie abzureißen.</p>
<p>Die Arbeiten sollen im Frühjahr beginnen und rund zwei Jahre dauern, sagte die Bürgermeisterin nach der Sitzung.</p>`

func TestDatesOffsetWinsOverZoneless(t *testing.T) {
	page := `<html><head><title>Brücke wird saniert</title>
<meta property="article:published_time" content="2024-05-03T08:00:00">
<script type="application/ld+json">{"@type":"NewsArticle","headline":"Brücke wird saniert","datePublished":"2024-05-03T10:30:00+02:00"}</script>
</head><body><article><h1>Brücke wird saniert</h1>` + dateBody + `</article></body></html>`
	art := extractHTML(t, page, "https://zeitung.example/lokal/bruecke", time.UTC)
	if want := time.Date(2024, 5, 3, 8, 30, 0, 0, time.UTC); !art.Published.Equal(want) {
		t.Errorf("published %v, want the JSON-LD instant %v", art.Published, want)
	}
	if art.Rules["published"] != RulePubMetaOffset {
		t.Errorf("rule %q, want %q", art.Rules["published"], RulePubMetaOffset)
	}
}

func TestDatesZonelessInPortalZone(t *testing.T) {
	page := `<html><head><title>Brücke wird saniert</title>
<meta property="article:published_time" content="2024-05-03T08:00:00">
</head><body><article><h1>Brücke wird saniert</h1>` + dateBody + `</article></body></html>`
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no zone database")
	}
	art := extractHTML(t, page, "", berlin)
	if want := time.Date(2024, 5, 3, 8, 0, 0, 0, berlin); !art.Published.Equal(want) {
		t.Errorf("published %v, want %v", art.Published, want)
	}
}

func TestDatesFromURL(t *testing.T) {
	page := `<html><head><title>Brücke wird saniert</title></head><body><article><h1>Brücke wird saniert</h1>` + dateBody + `</article>
<footer>© 2019 Zeitung</footer></body></html>`
	for _, u := range []string{"https://blog.example/2013/06/14/bruecke/", "https://blog.example/news/20130614/bruecke.html"} {
		art := extractHTML(t, page, u, time.UTC)
		if want := time.Date(2013, 6, 14, 0, 0, 0, 0, time.UTC); !art.Published.Equal(want) || art.Rules["published"] != RulePubURL {
			t.Errorf("%s: published %v by %q, want %v by %q", u, art.Published, art.Rules["published"], want, RulePubURL)
		}
	}
}

func TestDatesTimeElementOutsideContainer(t *testing.T) {
	// The <time> sits in the article's header; a sidebar's h1 and a
	// related list's dates are not the article's.
	page := `<html><head><title>Brücke wird saniert | Zeitung</title></head><body>
<div class="sidebar"><h1 class="widget-title">Neueste Beiträge hier</h1><ul><li><time datetime="2024-06-01T09:00:00+02:00">1. Juni</time></li></ul></div>
<div class="post"><header class="entry-header"><h1 class="entry-title">Brücke wird saniert</h1>
<span class="entry-date"><time datetime="2015-01-28T15:41:20+01:00">28. Januar 2015</time></span></header>
<div class="entry-content">` + dateBody + `</div></div></body></html>`
	art := extractHTML(t, page, "https://blog.example/822", time.UTC)
	if want := time.Date(2015, 1, 28, 14, 41, 20, 0, time.UTC); !art.Published.Equal(want) {
		t.Errorf("published %v, want %v", art.Published, want)
	}
	if art.Title != "Brücke wird saniert" {
		t.Errorf("title %q", art.Title)
	}
}

func TestDatesVietnameseLinesKeepParsing(t *testing.T) {
	ict := time.FixedZone("ICT", 7*3600)
	for s, want := range map[string]time.Time{
		"01:39' PM - Thứ tư, 27/01/2021":            time.Date(2021, 1, 27, 13, 39, 0, 0, ict),
		"03:15 CH @ Thứ Hai - 08 Tháng Giêng, 2024": time.Date(2024, 1, 8, 15, 15, 0, 0, ict),
		"Cập nhật: 20/01/2014 11:16 CH":             time.Date(2014, 1, 20, 23, 16, 0, 0, ict),
	} {
		got, ok := ParseTime(s, ict, time.Time{})
		if !ok || !got.Equal(want) {
			t.Errorf("ParseTime(%q) = %v, %v; want %v", s, got, ok, want)
		}
	}
}

func TestDatesPostFooterAbbr(t *testing.T) {
	// Blogger prints the post's time in div.post-footer as
	// <abbr itemprop="datePublished" title="…">; a page footer's dates
	// are not the post's.
	page := `<html><head><title>Brücke wird saniert</title></head><body>
<div class="post"><h3 class="post-title">Brücke wird saniert</h3><div class="post-body">` + dateBody + `</div>
<div class="post-footer"><a class="timestamp-link" href="/p"><abbr class="published" itemprop="datePublished" title="2018-06-05T08:00:00-07:00">08:00</abbr></a></div></div>
<div class="footer"><span itemprop="datePublished" content="2024-01-01">2024</span></div></body></html>`
	art := extractHTML(t, page, "https://x.example/p", time.UTC)
	if want := time.Date(2018, 6, 5, 15, 0, 0, 0, time.UTC); !art.Published.Equal(want) {
		t.Errorf("published %v, want %v", art.Published, want)
	}
}

func TestDatesLineAboveHeadline(t *testing.T) {
	// "Bonn, 11.10.2021" above the h1; the body's own dates come later.
	page := `<html><head><title>Helferinnen im Einsatz</title></head><body>
<div class="layoutTwoColumnsRightSidebar"><div class="gallery"><span class="place">Bonn, 11.10.2021</span>
<h1>Helferinnen im Einsatz</h1>
<p>Die Reihe beginnt am Mittwoch, 13.10.2021, mit einem Film über die ersten Helferinnen des Verbandes.</p>` + dateBody + `</div></div></body></html>`
	art := extractHTML(t, page, "https://amt.example/meldung_01.html", time.UTC)
	if want := time.Date(2021, 10, 11, 0, 0, 0, 0, time.UTC); !art.Published.Equal(want) {
		t.Errorf("published %v, want %v", art.Published, want)
	}
	if art.Title != "Helferinnen im Einsatz" {
		t.Errorf("title %q: a wrapper whose class mentions a sidebar is not chrome", art.Title)
	}
}

func TestDatesPageLineOutsideContainer(t *testing.T) {
	// The article element holds only the headline block; the date line
	// sits beside it. Page chrome's dates (a header's today) do not count.
	page := `<html><head><title>Brücke wird saniert</title></head><body>
<header class="header"><span>Heute: 19.04.2024</span></header>
<article class="cover"><h1>Brücke wird saniert</h1></article>
<div class="description"><p class="when">Online seit 23. Mai 2019</p><div class="text">` + dateBody + `</div></div></body></html>`
	art := extractHTML(t, page, "https://radio.example/son/1", time.UTC)
	if want := time.Date(2019, 5, 23, 0, 0, 0, 0, time.UTC); !art.Published.Equal(want) {
		t.Errorf("published %v, want %v", art.Published, want)
	}
}

func TestDatesTitleAttributeAndLongClassTokens(t *testing.T) {
	// "Acum 3 ore" printed, the instant in the title attribute; and a
	// credits box whose one long class token mentions a sidebar.
	berlin := time.FixedZone("CET", 3600)
	page := `<html><head><title>Brücke wird saniert</title></head><body><article><h1>Brücke wird saniert</h1>
<div class="news-time-ago" title="2020-09-20T14:20:02Z">Acum 3 ore</div>` + dateBody + `</article></body></html>`
	art := extractHTML(t, page, "https://stiri.example/story/1", berlin)
	if want := time.Date(2020, 9, 20, 14, 20, 2, 0, time.UTC); !art.Published.Equal(want) {
		t.Errorf("title attribute: published %v, want %v", art.Published, want)
	}
	page = `<html><head><title>Brücke wird saniert</title></head><body><article class="cover"><h1>Brücke wird saniert</h1></article>
<div class="podcast-description__sidebar"><p class="title">Mise en ligne</p><p class="content">23 mai 2019</p></div>
<div class="sidebar"><p>Autre épisode du 01/01/2024</p></div><div class="text">` + dateBody + `</div></body></html>`
	art = extractHTML(t, page, "https://radio.example/son/1", berlin)
	if want := time.Date(2019, 5, 23, 0, 0, 0, 0, berlin); !art.Published.Equal(want) {
		t.Errorf("credits box: published %v, want %v", art.Published, want)
	}
}

// A page that prints only when it was updated, under the body, has that
// as its publication time too; a page that prints both keeps them apart.
func TestDatesModifiedOnly(t *testing.T) {
	ict := time.FixedZone("ICT", 7*3600)
	body := `<p>Ngày 27/01/2021, Ban Chỉ đạo về bảo vệ nền tảng tư tưởng của Đảng (gọi tắt là BCĐ 35) Đảng ủy Tập đoàn tổ chức Hội nghị tổng kết hoạt động năm 2020 và phương hướng nhiệm vụ trong thời gian tới.</p>
<p>Đồng chí Phó Bí thư Thường trực Đảng ủy Tập đoàn chủ trì hội nghị, với sự tham dự của các thành viên Ban chỉ đạo và Tổ thư ký.</p>`
	page := func(dateLines string) string {
		return `<html><head><title>Hội nghị tổng kết</title></head><body>
<header><div class="today">Thứ Sáu, Ngày 19 tháng 04 năm 2024</div></header>
<main><div class="story"><h2>Hội nghị tổng kết hoạt động năm 2020</h2><div class="content">` + body + `</div>` + dateLines + `</div></main></body></html>`
	}
	updated := time.Date(2021, 1, 27, 13, 39, 0, 0, ict)
	art := extractHTML(t, page(`<div class="article__date">Cập nhật: 13:39 | 27/01/2021</div>`), "https://portal.example/tin/hoi-nghi/", ict)
	if !art.Published.Equal(updated) || !art.Modified.Equal(updated) || art.Rules["published"] != RulePubModified {
		t.Errorf("updated only: published %v (rule %q), modified %v; want both %v by %q", art.Published, art.Rules["published"], art.Modified, updated, RulePubModified)
	}
	art = extractHTML(t, page(`<div class="article__date">13:00 26/01/2021 - Cập nhật: 13:39 | 27/01/2021</div>`), "https://portal.example/tin/hoi-nghi/", ict)
	if want := time.Date(2021, 1, 26, 13, 0, 0, 0, ict); !art.Published.Equal(want) || !art.Modified.Equal(updated) {
		t.Errorf("both: published %v, modified %v; want %v and %v", art.Published, art.Modified, want, updated)
	}
}
