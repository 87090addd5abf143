package extract

import (
	"strings"
	"testing"
	"time"
)

func TestGenericBodyShortPost(t *testing.T) {
	// A post of three short lines beside a long cookie notice: generic
	// extraction takes the notice, the boilerplate rules remove it, and
	// the article container's lines are the body.
	page := `<html><head><title>Nichts tun ist auch eine Möglichkeit | Blog</title></head><body>
<header><h1><a href="/">Blog</a></h1></header>
<div id="content"><div class="post"><h2 class="posttitle"><a href="/p">Nichts tun ist auch eine Möglichkeit</a></h2>
<p>„Ich sage es lieber.“</p><p>– „Dann sag es nicht.“</p><p>– „Gut, dann nicht.“</p></div></div>
<div id="wrap"><div id="cookies"><div class="inner"><p id="eu-cookie-law" class="ads-active">Datenschutz und Cookies: Diese Website verwendet Cookies, Pixel und Skripte. Wenn du die Website weiterhin nutzt, stimmst du der Verwendung von Cookies zu. Weitere Informationen, beispielsweise zur Kontrolle von Cookies, findest du hier: Cookie-Richtlinie.</p></div></div></div>
</body></html>`
	art := extractHTML(t, page, "https://blog.example/2013/06/14/nichts-tun/", time.UTC)
	if !strings.HasPrefix(art.Body, "„Ich sage es lieber.“") || strings.Contains(art.Body, "Cookies") {
		t.Errorf("body %q, want the post's lines", shorten(art.Body, 80))
	}
	if art.Title != "Nichts tun ist auch eine Möglichkeit" {
		t.Errorf("title %q", art.Title)
	}
}

func TestGenericBodyBesideHeadlineBox(t *testing.T) {
	// The headline sits in a box of its own with the date line; the post's
	// short lines are beside it.
	lines := ""
	for _, l := range []string{"„Wer rutscht aus?“", "– „Ich wette, du.“", "– „Nein, du!“", "– „Aah … paff.“", "– „Siehst du.“", "– „Hilf mir auf.“", "– „Gleich.“", "– „Jetzt!“", "– „Na gut.“", "– „Danke.“"} {
		lines += "<p>" + l + "</p>"
	}
	page := `<html><head><title>Monstergespräche eins | Blog</title></head><body>
<div class="post"><div class="post-info"><h2>Monstergespräche eins</h2><span>23. Dezember 2009 //</span></div>
<div class="entry">` + lines + `</div></div>
<div id="wrap"><div id="cookies"><div class="inner"><p id="eu-cookie-law" class="ads-active">Datenschutz und Cookies: Diese Website verwendet Cookies, Pixel und Skripte. Wenn du die Website weiterhin nutzt, stimmst du der Verwendung von Cookies zu. Weitere Informationen, beispielsweise zur Kontrolle von Cookies, findest du hier: Cookie-Richtlinie.</p></div></div></div>
</body></html>`
	art := extractHTML(t, page, "https://blog.example/2009/12/23/monster/", time.UTC)
	if !strings.HasPrefix(art.Body, "„Wer rutscht aus?“") || strings.Contains(art.Body, "Cookies") {
		t.Errorf("body %q, want the post's lines without the date line", shorten(art.Body, 80))
	}
	if !removedBy(art, RuleStartDate, "23. Dezember 2009") {
		t.Errorf("the date line is not in the audit trail: %+v", art.Removed)
	}
}
