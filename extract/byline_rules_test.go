package extract

import (
	"strings"
	"testing"

	"github.com/parc-archiver/parc/extract/internal/byname"
)

// The byline failure classes of issue 15, each on a small hand-written
// page: what the page prints around the names, what is no byline at all,
// and the rule --explain names for the byline.

const ruleBody = `<div class="content">
<p>The council approved the new budget on Tuesday after a long debate about the cost of the bridge repairs and the school buses.</p>
<p>Members of the opposition said the plan left too little money for the libraries, which have cut their opening hours twice this year.</p>
<p>The mayor said the city would review the figures again in the autumn, when the tax receipts for the first half of the year are known.</p>
`

// rulePage is an article page with head in <head>, meta (the author
// line) between the headline and the body, and end closing the body.
func rulePage(lang, head, meta, end string) string {
	return `<html lang="` + lang + `"><head><title>Council approves the budget - Example Times</title>
<meta property="og:site_name" content="Example Times">` + head + `</head><body>
<article><h1>Council approves the budget after long debate</h1>` + meta + ruleBody + end + `</div></article></body></html>`
}

// bylineCase is a page and the byline (and its rule) extracted from it.
type bylineCase struct {
	name, page, want, rule string
}

func bylineRuleCases() []bylineCase {
	return []bylineCase{
		{"label By dropped", rulePage("en", "", `<p class="byline">By Jane Doe</p>`, ""), "Jane Doe", "author-element"},
		{"label Von: dropped", rulePage("de", "", `<span class="author">Von: Max Mustermann</span>`, ""), "Max Mustermann", "author-element"},
		{"label Par in JSON-LD dropped", rulePage("fr", `<script type="application/ld+json">{"@type":"NewsArticle","author":"Par Anne Dupont"}</script>`, "", ""),
			"Anne Dupont", "json-ld-author"},
		{"label Tác giả: dropped", rulePage("vi", "", `<div class="tac-gia">Tác giả: Nguyễn Văn An</div>`, ""), "Nguyễn Văn An", "author-element"},
		{"label element and job title left out", rulePage("en", "",
			`<div class="author-box"><span class="author-label">By</span><div class="author"><a href="/authors/jane-doe/">Jane Doe</a><span class="job-title">Travel Reporter</span></div></div>`, ""),
			"Jane Doe", "author-element"},
		{"agency credit with date after it", rulePage("en", "", `<div class="byline">By Associated Press 12:20pm Jan 7, 2024</div>`, ""),
			"Associated Press", "author-element"},
		{"label after a date", rulePage("en", "", `<div class="byline">Posted on September 21, 2020 by Adi Tzlil</div>`, ""), "Adi Tzlil", "author-element"},
		{"date in a time element", rulePage("en", "", `<div class="byline">Lance Ulanoff published <time datetime="2026-05-19">19 May 2026</time></div>`, ""),
			"Lance Ulanoff", "author-element"},
		{"handle dropped", rulePage("en", "", `<span class="author">Eric Levitz @EricLevitz</span>`, ""), "Eric Levitz", "author-element"},
		{"several author elements joined", rulePage("en", "",
			`<div class="byline"><div class="author"><a href="/a/1">Lucy Thornton</a></div><div class="author"><a href="/a/2">Tim Hanlon</a></div></div>`, ""),
			"Lucy Thornton, Tim Hanlon", "author-element"},
		{"visible credit naming the publisher kept", rulePage("en", "", `<span class="author">Example Times</span>`, ""), "Example Times", "author-element"},
		{"tag links and logo in an author element", rulePage("de", "",
			`<div class="post-meta author"><span class="date">01.12.2022</span> / <span class="fn"><a href="/autor/redaktion/"><img src="logo.svg" alt="Solarwelt"></a></span> / <a rel="tag" href="/thema/csp/">CSP</a> / <a rel="tag" href="/thema/wind/">Wind</a></div>`, ""),
			"Solarwelt", "author-element"},
		{"twitter:data labelled Written by", rulePage("en", `<meta name="twitter:label1" content="Written by"><meta name="twitter:data1" content="Karla Berg">`, "", ""),
			"Karla Berg", "twitter-label-author"},
		{"label element before the name", rulePage("de", "", `<div class="meta"><b>Von:</b><br><br>Götz Warnke</div>`, ""), "Götz Warnke", "label-element"},
		{"label heading before the name", rulePage("de", "", `<div class="news-meta"><h4>Autor</h4><p><a href="/profil/nh">Nina Hoff</a><b>, </b></p></div>`, ""),
			"Nina Hoff", "label-element"},
		{"screen-reader label before the name", rulePage("en", "", `<div class="meta"><span class="sr-only">| By </span><span>Cara Stiles</span> <span class="share">Share</span></div>`, ""),
			"Cara Stiles", "label-element"},
		{"label followed by another label", rulePage("fr", "", `<div class="box"><span>Par</span><div class="l">Auteur(s) :</div><div class="a"><strong>Les Membres du Choeur</strong></div></div>`, ""),
			"Les Membres du Choeur", "label-element"},
		{"Last, First in metadata", rulePage("en", `<meta name="author" content="Doe, John A.">`, "", ""), "John A. Doe", "generic-byline"},
		{"several meta authors joined", rulePage("en", `<meta name="author" content="Lucy Thornton"><meta name="author" content="Tim Hanlon">`, "", ""),
			"Lucy Thornton, Tim Hanlon", "meta-author"},
		{"JSON-LD authors joined", rulePage("en", `<script type="application/ld+json">{"@type":"NewsArticle","author":[{"@type":"Person","name":"Ann Lee"},{"@type":"Person","name":"Bo Chen"}]}</script>`, "", ""),
			"Ann Lee, Bo Chen", "json-ld-author"},
		{"photo credit in meta author", rulePage("en", `<meta name="author" content="(Image: Getty Images)"><meta name="author" content="Emma Mackenzie">`, "", ""),
			"Emma Mackenzie", "generic-byline"},
		{"copyright line is no byline", rulePage("en", `<meta name="author" content="© 2024 Example Media Group">`, "", ""), "", ""},
		{"site name from meta author is no byline", rulePage("en", `<meta name="author" content="Example Times">`, "", ""), "", ""},
		{"JSON-LD Organization author that is the publisher", rulePage("en",
			`<script type="application/ld+json">{"@type":"NewsArticle","author":{"@type":"Organization","name":"Example Times"},"publisher":{"@type":"Organization","name":"Example Times"}}</script>`, "", ""),
			"", ""},
		{"section label in capitals on an English page", rulePage("en", "", "", `<p>MORE ABOUT</p>`), "", ""},
		{"heading in capitals", rulePage("", "", "", `<h4>FIND THE RIGHT ONE</h4>`), "", ""},
		{"Vietnamese name in capitals kept", rulePage("vi", "", "", `<p>HỒNG LIÊN</p>`), "HỒNG LIÊN", "closing-upper-case"},
		{"Vietnamese name in capitals on a page declared English", strings.Replace(rulePage("en", "", "", `<p>HỒNG LIÊN</p>`), "Council approves the budget - Example Times", "Hội nghị tổng kết năm 2020", 1),
			"HỒNG LIÊN", "closing-upper-case"},
		{"Vietnamese agency credit kept as printed", rulePage("vi", "", "", `<p>Theo TTXVN</p>`), "Theo TTXVN", "closing-credit-form"},
		{"name before a date line with thg after the headline", rulePage("vi", "",
			`<div class="italic"><span class="mt-4">Hồng Liên</span> | <span class="text-xs">Ngày đăng: <time datetime="2021-01-27T13:39:00+07:00">27 thg 1, 2021</time></span></div>`, ""),
			"Hồng Liên", "after-title"},
		{"author class in the theme's own words, the site's name in metadata", rulePage("en", `<meta name="author" content="Example Times">`,
			`<div class="story__info"><span class="story__authorname">Ann Lee</span></div>`, ""), "Ann Lee", "theme-author-element"},
		{"writer class in the theme's own words", rulePage("en", "",
			`<div class="Post_detailMeta__URrkS"><span class="Post_writer__CtaVP">Nguyễn Văn An</span></div>`, ""), "Nguyễn Văn An", "theme-author-element"},
		{"a Vietnamese name alone under the headline, no label, no class of note", rulePage("vi", "",
			`<div class="css-gqgc1gx"><span class="css-xrqiqhg">Quang Huy</span></div>`, ""), "Quang Huy", "after-title"},
		{"a section's name under the headline is no byline: the menu links it", rulePage("vi", "",
			`<div class="css-gqgc1gx">Kinh Tế</div>`, `<div class="menu"><a href="/kinh-te">Kinh Tế</a></div>`), "", ""},
		{"words of another language under the headline are no Vietnamese name", rulePage("vi", "",
			`<div class="css-gqgc1gx">Example Times Hồng Liên</div>`, ""), "", ""},
		{"a label alone in an author element names no one", rulePage("de", "",
			`<div class="Teaser_authorSection__K2"><div class="Teaser_authorSectionLeft__5y">Von</div></div>`, ""), "", ""},
		{"a comment's author is not the article's", rulePage("en", "", "", `<div class="comments"><span class="comment-author">Troll 42</span></div>`), "", ""},
		{"a template's placeholder in meta author names no one", rulePage("pt", `<meta name="author" content="null"><meta name="article:author" content="null">`, "", ""), "", ""},
		{"a placeholder in meta author leaves the author element", rulePage("pt", `<meta name="author" content="null">`, `<span class="author"><a href="/autor/rc/">Rodolfo Costa</a></span>`, ""),
			"Rodolfo Costa", "author-element"},
		{"an author box's link is no byline", rulePage("de", "", "",
			`<div class="author-box"><h5 class="author-title" itemprop="author">Lisa Borch</h5><div class="more-about-author"><a href="/lisa-borch/">Mehr über den Autor erfahren</a></div></div>`),
			"Lisa Borch", "closing-author-class"},
	}
}

func TestBylineRules(t *testing.T) {
	testBylineCases(t, bylineRuleCases())
}

func testBylineCases(t *testing.T, cases []bylineCase) {
	t.Helper()
	x, err := New(Options{Explain: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, err := x.Extract(strings.NewReader(c.page), Input{})
			if err != nil {
				t.Fatal(err)
			}
			if a.Byline != c.want {
				t.Errorf("byline = %q, want %q", a.Byline, c.want)
			}
			if got := a.Rules["byline"]; c.rule != "" && got != "byline/"+c.rule || c.rule == "" && got != "" {
				t.Errorf("byline rule = %q, want byline/%q", got, c.rule)
			}
			if c.want != "" && strings.Contains(a.Body, c.want) {
				t.Errorf("byline left in the body: %q", a.Body)
			}
		})
	}
}

func TestBylineText(t *testing.T) {
	cases := []struct{ in, want string }{
		{"By Tom Davies", "Tom Davies"},
		{"von Dennis Kochinky", "Dennis Kochinky"},
		{"Por Redacción Diario", "Redacción Diario"},
		{"Door Jan de Vries", "Jan de Vries"},
		{"Av Kari Nordmann", "Kari Nordmann"},
		{"Geschrieben von Elisa Marvena", "Elisa Marvena"},
		{"Interview: Julia Lauter", "Julia Lauter"},
		{"von lupa am 26.10.13 03:48 pm", "lupa"},
		{"News By Lance Ulanoff published 19 May 2026", "Lance Ulanoff"},
		{"Ursula von der Leyen", "Ursula von der Leyen"},
		{"De Luca Marco", "De Luca Marco"},
		{"Minh Le", "Minh Le"},
		{"Theo TTXVN", "Theo TTXVN"},
		{"HỒNG LIÊN", "HỒNG LIÊN"},
		{"Photo: Reuters", ""},
		{"Foto: dpa", ""},
		{"Copyright 2024 Example", ""},
		{"© Example Media", ""},
		{"12.03.2024", ""},
		{"Follow", ""},
	}
	for _, c := range []struct{ in, want string }{
		{"Doe, John", "John Doe"}, {"Doe, John A.", "John A. Doe"}, {"Ann Lee, Bo Chen", "Ann Lee, Bo Chen"},
		{"Lee, Bo Chen", "Lee, Bo Chen"}, {"Lee, Chen, Wu", "Lee, Chen, Wu"}, {"Jane Doe", "Jane Doe"},
	} {
		if got := byname.LastFirst(c.in); got != c.want {
			t.Errorf("lastFirst(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	for _, c := range cases {
		got, ok := bylineText(c.in)
		if got != c.want || ok != (c.want != "") {
			t.Errorf("bylineText(%q) = %q, %v; want %q", c.in, got, ok, c.want)
		}
	}
}

// A closing line in capitals that is no byline (a section label on a page
// not in Vietnamese, a heading) still leaves the body, as the byline would.
func TestClosingLabelLeavesBody(t *testing.T) {
	x, err := New(Options{Explain: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, end := range []string{`<p>MORE ABOUT</p>`, `<h4>FIND THE RIGHT ONE</h4>`} {
		a, err := x.Extract(strings.NewReader(rulePage("en", "", "", end)), Input{})
		if err != nil {
			t.Fatal(err)
		}
		label := strings.TrimSuffix(strings.SplitN(end, ">", 2)[1], end[strings.LastIndex(end, "<"):])
		if a.Byline != "" || strings.Contains(a.Body, label) {
			t.Errorf("%s: byline %q, body %q; want no byline and the label out of the body", end, a.Byline, a.Body)
		}
	}
}
