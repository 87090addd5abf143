package extract

import (
	"testing"
	"time"
)

func TestHeadlineKicker(t *testing.T) {
	body := `<p>Der Gemeinderat hat am Abend nach langer Debatte beschlossen, die alte Brücke über den Fluss zu sanieren statt sie abzureißen.</p>
<p>Die Arbeiten sollen im Frühjahr beginnen und rund zwei Jahre dauern, sagte die Bürgermeisterin nach der Sitzung.</p>`
	cases := []struct{ name, head, title, want string }{
		{"dash kicker goes", `<h1><span class="overline">Verkehr in der Stadt</span> – <span>Die alte Brücke wird saniert</span></h1>`,
			"Verkehr in der Stadt – Die alte Brücke wird saniert | Zeitung", "Die alte Brücke wird saniert"},
		{"colon kicker stays", `<h1><span class="kicker">Verkehr</span> <span>Die alte Brücke wird saniert</span></h1>`,
			"Verkehr: Die alte Brücke wird saniert | Zeitung", "Verkehr Die alte Brücke wird saniert"},
		{"title with a colon kicker the h1 leaves out", `<h1>Die alte Brücke wird saniert</h1>`,
			"Verkehr: Die alte Brücke wird saniert", "Verkehr: Die alte Brücke wird saniert"},
		{"og:title without the kicker", `<h1>Verkehr in der Stadt: Die alte Brücke wird saniert</h1>`,
			"Die alte Brücke wird saniert", "Die alte Brücke wird saniert"},
		{"site name prefix", `<div class="elementor-widget elementor-widget-heading"><h2 class="elementor-heading-title">Die alte Brücke wird saniert</h2></div>`,
			"Zeitung | Die alte Brücke wird saniert", "Die alte Brücke wird saniert"},
	}
	for _, c := range cases {
		page := `<html><head><title>` + c.title + `</title></head><body><article>` + c.head + body + `</article></body></html>`
		art := extractHTML(t, page, "https://zeitung.example/a", time.UTC)
		if art.Title != c.want || art.Rules["title"] != RuleTitleVisible {
			t.Errorf("%s: title %q by %q, want %q by %q", c.name, art.Title, art.Rules["title"], c.want, RuleTitleVisible)
		}
	}
}

func TestHeadlineTitleElementLastResort(t *testing.T) {
	// No visible headline repeats <title>: its site-name part goes.
	page := `<html><head><title>Zeitung Mustertal | Die alte Brücke wird saniert</title>
<meta property="og:site_name" content="Zeitung Mustertal"></head><body><div class="text">
<p>Der Gemeinderat hat am Abend nach langer Debatte beschlossen, die alte Brücke über den Fluss zu sanieren statt sie abzureißen.</p>
<p>Die Arbeiten sollen im Frühjahr beginnen und rund zwei Jahre dauern, sagte die Bürgermeisterin nach der Sitzung.</p></div></body></html>`
	art := extractHTML(t, page, "https://zeitung.example/a", time.UTC)
	if want := "Die alte Brücke wird saniert"; art.Title != want || art.Rules["title"] != RuleTitleHTMLTitle {
		t.Errorf("title %q by %q, want %q by %q", art.Title, art.Rules["title"], want, RuleTitleHTMLTitle)
	}
}

func TestHeadlineTitleElementLessTheLogosName(t *testing.T) {
	// No metadata names the site; its logo does, by its file name only.
	page := `<html><head><title>Zeitung :: Die alte Brücke wird saniert</title></head><body>
<header><a class="c-x1" href="/"><img src="/static/logo.png" alt="Zeitung"></a></header><div class="text">
<p>Der Gemeinderat hat am Abend nach langer Debatte beschlossen, die alte Brücke über den Fluss zu sanieren statt sie abzureißen.</p>
<p>Die Arbeiten sollen im Frühjahr beginnen und rund zwei Jahre dauern, sagte die Bürgermeisterin nach der Sitzung.</p></div></body></html>`
	art := extractHTML(t, page, "http://127.0.0.1:8081/a", time.UTC)
	if want := "Die alte Brücke wird saniert"; art.Title != want || art.Rules["title"] != RuleTitleHTMLTitle {
		t.Errorf("title %q by %q, want %q by %q", art.Title, art.Rules["title"], want, RuleTitleHTMLTitle)
	}
}

func TestHeadlineH1BeforeOGTitle(t *testing.T) {
	// og:title is a social-media variant no visible element repeats: the
	// article's h1 is the headline.
	page := `<html><head><title>Magic Cleaning | Magazin</title><meta property="og:title" content="Magic Cleaning">
</head><body><article><h1 class="entry-title">Die besten Tricks für den Kleiderschrank</h1>
<p>Der Gemeinderat hat am Abend nach langer Debatte beschlossen, die alte Brücke über den Fluss zu sanieren statt sie abzureißen.</p>
<p>Die Arbeiten sollen im Frühjahr beginnen und rund zwei Jahre dauern, sagte die Bürgermeisterin nach der Sitzung.</p></article></body></html>`
	art := extractHTML(t, page, "https://magazin.example/a", time.UTC)
	if want := "Die besten Tricks für den Kleiderschrank"; art.Title != want || art.Rules["title"] != RuleTitleH1 {
		t.Errorf("title %q by %q, want %q by %q", art.Title, art.Rules["title"], want, RuleTitleH1)
	}
}

func TestHeadlineBodyClassIsNotChrome(t *testing.T) {
	// A theme names the page's look in <body>'s class ("white-menu"):
	// that does not make the whole page chrome.
	page := `<html><head><title>Die alte Brücke wird saniert - Zeitung - Lokales</title></head>
<body class="single-post white-menu"><div class="wrap"><h1 class="entry-title">Die alte Brücke wird saniert</h1>
<p>Der Gemeinderat hat am Abend nach langer Debatte beschlossen, die alte Brücke über den Fluss zu sanieren statt sie abzureißen.</p>
<p>Die Arbeiten sollen im Frühjahr beginnen und rund zwei Jahre dauern, sagte die Bürgermeisterin nach der Sitzung.</p></div></body></html>`
	art := extractHTML(t, page, "https://zeitung.example/a", time.UTC)
	if want := "Die alte Brücke wird saniert"; art.Title != want || art.Rules["title"] != RuleTitleVisible {
		t.Errorf("title %q by %q, want %q by %q", art.Title, art.Rules["title"], want, RuleTitleVisible)
	}
}
