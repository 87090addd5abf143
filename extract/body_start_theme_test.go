package extract

import (
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// themeParas are body paragraphs long enough for generic extraction.
func themeParas(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(`<p class="k3x">Paragraph `)
		b.WriteString(string(rune('A' + i)))
		b.WriteString(` tells the story of the harbour works in some detail, with the figures the council published on Monday and what the engineers said about them afterwards.</p>`)
	}
	return b.String()
}

func TestStandfirstBeforeBodyElement(t *testing.T) {
	// The standfirst is a block of its own between the meta line and the
	// body element, with a class no list knows: it is the lead, not the
	// body's first paragraph. Generic extraction makes paragraphs of the
	// divs before the body element (<p> with no atom): they stay apart,
	// not one line of headline, meta line and standfirst.
	page := `<html><head><title>Harbour works start in spring - Coast News</title>
<meta property="og:title" content="Harbour works start in spring"></head><body>
<div class="zz9"><div class="q1"><span class="q2">Harbour works start in spring</span>
<div class="q3">By Ann Lee | 12/03/2024 10:15</div>
<div class="q4">The council approved the plan on Monday after two years of debate about its cost.</div>
<div class="q5"><div class="q6">` + themeParas(4) + `</div></div></div></div>
</body></html>`
	art := extractHTML(t, page, "https://coast.example/news/harbour-works", time.UTC)
	if want := "The council approved the plan on Monday after two years of debate about its cost."; art.Lead != want {
		t.Errorf("lead %q, want %q", art.Lead, want)
	}
	if !strings.HasPrefix(art.Body, "Paragraph A tells") || strings.Contains(art.Body, "Ann Lee") {
		t.Errorf("body starts %q, want the first paragraph", shorten(art.Body, 60))
	}
	if art.Rules["lead"] != RuleLeadBeforeBody || !removedBy(art, RuleLeadBeforeBody, "The council approved") {
		t.Errorf("rules %v, removed %+v: the standfirst rule is not recorded", art.Rules, art.Removed)
	}
}

func TestFirstParagraphInsideBodyElementStays(t *testing.T) {
	// The first paragraph is inside the body element with the others:
	// it is article text, however short.
	page := `<html><head><title>Harbour works start in spring</title></head><body>
<article><h1>Harbour works start in spring</h1>
<div class="text"><p>The council approved the plan on Monday after two years of debate.</p>` + themeParas(4) + `</div></article>
</body></html>`
	art := extractHTML(t, page, "https://coast.example/news/harbour-works", time.UTC)
	if art.Lead != "" || !strings.HasPrefix(art.Body, "The council approved") {
		t.Errorf("lead %q, body starts %q: the first paragraph left the body", art.Lead, shorten(art.Body, 60))
	}
}

func TestLeadingMetaLinesLeaveBody(t *testing.T) {
	// The byline line under the headline ("Tác giả: NAME", "By NAME"),
	// kept by generic extraction with the body's paragraphs, leaves the
	// body once the byline is decided, with the date lines beside it; a
	// sentence naming the author stays.
	x, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	const by = "Hồng Liên"
	for _, tc := range []struct {
		lines    []string
		start    string // the byline decided before the rule
		want     string // the body's first line after the rule
		wantByln string // the byline after it
	}{
		{[]string{"Tác giả: Hồng Liên", "The council approved the plan."}, by, "The council approved the plan.", by},
		{[]string{"By HỒNG LIÊN", "Hồng Liên", "The council approved the plan."}, by, "The council approved the plan.", by},
		{[]string{"Hồng Liên met the mayor on Monday to talk about the plan.", "More."}, by, "Hồng Liên met the mayor on Monday to talk about the plan.", by},
		{[]string{"Ann Lee", "The council approved the plan."}, by, "Ann Lee", by},
		{[]string{"Tác giả: Hồng Liên", "Thời gian: Thứ tư - 13/08/2014 11:30", "The council approved the plan."}, by, "The council approved the plan.", by},
		{[]string{"Theo TTXVN", "The council approved the plan."}, "", "The council approved the plan.", "Theo TTXVN"},
		{[]string{"Theo ông Lê, the council approved the plan.", "More."}, "", "Theo ông Lê, the council approved the plan.", ""},
	} {
		pg := &pageState{art: &Article{Byline: tc.start, Rules: map[string]string{}, Fields: map[string]string{}}}
		for _, l := range tc.lines {
			pg.paras = append(pg.paras, para{text: l})
		}
		x.trimLeadingMeta(pg)
		if pg.art.Byline != tc.wantByln {
			t.Errorf("%q: byline %q, want %q", tc.lines, pg.art.Byline, tc.wantByln)
		}
		if pg.paras[0].text != tc.want {
			t.Errorf("%q: body starts %q, want %q", tc.lines, pg.paras[0].text, tc.want)
		}
		if removed := len(tc.lines) - len(pg.paras); removed > 0 && (len(pg.cleaning.removed) != removed || pg.cleaning.removed[0].Rule != RuleStartByline) {
			t.Errorf("%q: audit trail %+v", tc.lines, pg.cleaning.removed)
		}
	}
}

func TestPictureBoxCaptionLeavesBody(t *testing.T) {
	// A picture printed as a box of its own, the caption in an inline
	// element after the image: the caption is the image's, not body
	// text. A paragraph with a picture inside its text stays.
	page := `<html><head><title>Harbour works start in spring</title></head><body>
<article><h1>Harbour works start in spring</h1><div class="u7">` + themeParas(2) + `
<div class="u8"><img src="/img/crane.jpg" alt=""><em>The new crane on the quay. (Photo: Bo Ek)</em></div>
<p>The mayor said <img src="/img/smile.png" alt=""> <em>it was worth the wait</em> and thanked the workers of the port for their patience.</p>` + themeParas(2) + `</div></article>
</body></html>`
	art := extractHTML(t, page, "https://coast.example/news/harbour-works", time.UTC)
	if strings.Contains(art.Body, "The new crane") {
		t.Errorf("the caption is in the body: %q", art.Body)
	}
	if !strings.Contains(art.Body, "The mayor said it was worth the wait") {
		t.Errorf("the paragraph around an inline picture left the body: %q", art.Body)
	}
	if len(art.Images) == 0 || art.Images[0].Caption != "The new crane on the quay. (Photo: Bo Ek)" {
		t.Errorf("images %+v, want the crane with its caption", art.Images)
	}
	if !removedBy(art, RuleCaptions, "The new crane") {
		t.Errorf("the caption is not in the audit trail: %+v", art.Removed)
	}
}

func TestUtilityLeadingClassIsNoLead(t *testing.T) {
	// "leading-7" is a utility class (line height), not a lead: the date
	// line printed in such a box is no standfirst.
	page := `<html><head><title>Harbour works start in spring</title></head><body>
<main class="u1"><section class="text-2xl font-bold leading-tight"><h1 class="text-base leading-7">Harbour works start in spring</h1>
<div class="u3">` + strings.ReplaceAll(themeParas(3), "k3x", "mb-4 leading-relaxed") + `</div></section></main>
</body></html>`
	art := extractHTML(t, page, "https://coast.example/news/harbour-works", time.UTC)
	if art.Lead != "" || !strings.HasPrefix(art.Body, "Paragraph A") {
		t.Errorf("lead %q, body starts %q: want no lead", art.Lead, shorten(art.Body, 40))
	}
}

func TestTwoTitleRelatedListLeavesBody(t *testing.T) {
	// A related list of two dated titles under a heading with no class a
	// list knows, kept with the body by generic extraction, goes by link
	// density with two links; a paragraph with two links stays.
	frag := `<div><section>` + themeParas(3) + `<p>The plan, <a href="/p">published here</a>, is <a href="/q">on the site</a> of the council for everyone to read.</p></section>
<div class="u9"><h3>More from the port</h3><ul><li><a href="/a">Ferry timetable changes for the summer months</a> <span>01/03/2024</span></li><li><a href="/b">New pier opens to walkers after repairs</a> <span>20/02/2024</span></li></ul></div></div>`
	nodes, err := html.ParseFragment(strings.NewReader(frag), &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body})
	if err != nil {
		t.Fatal(err)
	}
	x, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	st := &cleanState{x: x, root: nodes[0], rootText: -1}
	applyLinkDensity(st)
	if len(st.removed) != 1 || st.removed[0].Rule != RuleLinkDensity || !strings.HasPrefix(st.removed[0].Text, "More from the port") {
		t.Errorf("removed %+v, want the related list by link density", st.removed)
	}
	if !strings.Contains(nodeText(nodes[0]), "published here") {
		t.Error("the paragraph with two links left the body")
	}
}

func TestStandfirstBeforeShortBody(t *testing.T) {
	// Two paragraphs and a closing byline: the body element is still told
	// from the paragraphs after the standfirst.
	page := `<html><head><title>Harbour works start in spring</title></head><body>
<div class="a1"><div class="a2"><span>Harbour works start in spring</span>
<div class="a4">The council approved the plan on Monday after two years of debate about its cost.</div>
<div class="a5"><div class="a6">` + themeParas(2) + `<p style="text-align: right;"><strong>ANN LEE</strong></p></div></div></div></div>
</body></html>`
	art := extractHTML(t, page, "https://coast.example/news/harbour-works", time.UTC)
	if !strings.HasPrefix(art.Lead, "The council approved") || !strings.HasPrefix(art.Body, "Paragraph A tells") {
		t.Errorf("lead %q, body starts %q: want the standfirst as lead", art.Lead, shorten(art.Body, 60))
	}
}

func TestCreditUnderHeadlineIsByline(t *testing.T) {
	// An agency credit printed on its own under the headline, with no
	// label and no date, is the byline as printed.
	page := `<html><head><title>Harbour works start in spring</title></head><body>
<div class="b1"><article class="b2"><p class="title">Harbour works start in spring</p>
<div class="b3"><strong>Theo TTXVN</strong></div>
<div class="b4">Posted: 12/03/2024 10:15</div>
<div class="b5"><div class="b6"><p>&nbsp;</p>` + themeParas(3) + `</div></div></article></div>
</body></html>`
	art := extractHTML(t, page, "https://coast.example/news/harbour-works", time.UTC)
	if art.Byline != "Theo TTXVN" || strings.Contains(art.Body, "TTXVN") {
		t.Errorf("byline %q, body starts %q: want the credit as byline", art.Byline, shorten(art.Body, 60))
	}
}

func TestKickerAnywhereIsALabel(t *testing.T) {
	// The headline is a <p> no headline rule finds (the title comes from
	// JSON-LD), so no line above it is known; the kicker's class names it:
	// kicker, date line and headline all leave the body's start, and the
	// standfirst goes to the lead.
	page := storyPage(`<title>Coast News</title>
<script type="application/ld+json">{"@type":"NewsArticle","headline":"Harbour works start in spring","datePublished":"2024-03-12T10:15:00Z"}</script>`, "",
		`<a class="Story_kicker__afGIL" href="/harbour/">Harbour</a>
<div class="Story_time__dSTN4">Published: <time datetime="2024-03-12T10:15:00Z">12/03/2024 10:15 GMT</time></div>
<p>Harbour works start in spring</p>
<div class="Story_description__YpJoF">The council approved the plan on Monday after two years of debate about its cost.</div>`)
	art := extractHTML(t, page, "https://coast.example/news/harbour-works", time.UTC)
	if !strings.HasPrefix(art.Body, "Paragraph A tells") {
		t.Errorf("body starts %q, want the first paragraph", shorten(art.Body, 80))
	}
	if !removedBy(art, RuleStartLabel, "Harbour") {
		t.Errorf("removed %+v: the kicker is not recorded as a label", art.Removed)
	}
	if want := "The council approved the plan on Monday after two years of debate about its cost."; art.Lead != want {
		t.Errorf("lead %q, want %q", art.Lead, want)
	}
}

func TestCrumbsAreABreadcrumb(t *testing.T) {
	// The breadcrumb's class says "crumbs": its items are labels, and the
	// category label that repeats one leaves the body's start.
	page := storyPage(`<title>Harbour works start in spring</title>
<meta property="og:title" content="Harbour works start in spring">`,
		`<div class="story__crumbs"><a href="/">Home</a> › <a href="/harbour-news/">Harbour news</a></div>`,
		`<a class="story__catlabel" href="/harbour-news/">Harbour news</a>
<p>Harbour works start in spring</p>
<div class="Story_time__dSTN4">Published: <time datetime="2024-03-12T10:15:00Z">12/03/2024 10:15 GMT</time></div>`)
	art := extractHTML(t, page, "https://coast.example/news/harbour-works", time.UTC)
	if !strings.HasPrefix(art.Body, "Paragraph A tells") {
		t.Errorf("body starts %q, want the first paragraph", shorten(art.Body, 80))
	}
}

func TestSectionLinkIsALabel(t *testing.T) {
	// Classes say nothing (css-…); the link above the headline leads to
	// the section the article's URL is under: a label.
	page := storyPage(`<title>Harbour works start in spring</title>
<meta property="og:title" content="Harbour works start in spring">`, "",
		`<a class="css-jjyhruq" href="/news/harbour/">Harbour news</a>
<div class="css-hfgkthb">Published: 12/03/2024 10:15</div>
<p class="css-r3l5m4u">Harbour works start in spring</p>`)
	art := extractHTML(t, page, "https://coast.example/news/harbour/works-start.html", time.UTC)
	if !strings.HasPrefix(art.Body, "Paragraph A tells") || !removedBy(art, RuleStartLabel, "Harbour news") {
		t.Errorf("body starts %q, removed %+v: want the first paragraph, the section link removed as a label", shorten(art.Body, 80), art.Removed)
	}
	// A link to another section is no label by this rule. (Printed just
	// above a headline that the titles repeat, it is one by another:
	// linesBefore. So page2's headline line is one they do not repeat.)
	page2 := strings.Replace(page, `href="/news/harbour/"`, `href="/news/other/"`, 1)
	page2 = strings.Replace(page2, `<p class="css-r3l5m4u">Harbour works start in spring</p>`, `<p class="css-r3l5m4u">Works on the harbour begin</p>`, 1)
	if art := extractHTML(t, page2, "https://coast.example/news/harbour/works-start.html", time.UTC); removedBy(art, RuleStartLabel, "Harbour news") {
		t.Errorf("a link to another section taken for a label: removed %+v", art.Removed)
	}
}

// storyPage is a page of a theme with hashed class names (CSS modules):
// head, then before the article box, then detail (what the theme prints
// above the body element) and two paragraphs in the body element, nested
// as deep as such themes nest them.
func storyPage(head, before, detail string) string {
	return `<html><head>` + head + `</head><body>
<main class="Story_pageContent__Lw9Wo">` + before + `
<div class="Story_row__DewxU"><div class="Story_inner__Bnqgz"><div class="Story_clearfix__ug9J4"><div class="Story_articleDetail__smarQ">
` + detail + `
<div class="Story_mainContent__xbP1E"><div class="Story_colMain__q70Wn"><div class="Story_entryContent__WH1Yx">` + themeParas(2) + `</div></div></div>
</div></div></div></div></main>
</body></html>`
}
