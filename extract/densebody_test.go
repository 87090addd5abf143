package extract

import (
	"fmt"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/parc-archiver/parc/extract/internal/readable"
)

// longBody is ruleBody with enough paragraph text for readable.DenseBody to take
// its box as the body without go-readability.
var longBody = ruleBody + `<p>Residents who spoke at the meeting asked for the repairs to start before the winter, when the detour adds half an hour to the trip into town.</p>
<p>The budget also sets aside money for two new buses and for the repair of the swimming pool roof, which has been closed since the storm in March.</p>
`

// longRulePage is the page of c with longBody for ruleBody.
func longRulePage(page string) string { return strings.Replace(page, ruleBody, longBody, 1) }

func TestDenseBody(t *testing.T) {
	cases := []struct {
		name, page string
		want       string // the class of the element readable.DenseBody returns, "" for nil
	}{
		{"the article's paragraphs in one box", longRulePage(rulePage("en", "", "", "")), "content"},
		{"too little text", rulePage("en", "", "", ""), ""},
		{"a standfirst in a box beside the body", longRulePage(rulePage("en", "",
			`<div class="lead"><p>The city will spend more on its roads and less on its parks next year, after a vote that split the council down the middle once again.</p></div>`, "")), ""},
		{"text spread over teasers", `<html><body>` + strings.Repeat(`<div class="teaser"><p>A teaser of a story elsewhere on the site, long enough to count as a paragraph of text.</p></div>`, 12) + `</body></html>`, ""},
		{"paragraphs in nav and footer do not count", `<html><body><nav>` + strings.Repeat(`<p>A menu entry written out as a long paragraph that is no article text at all.</p>`, 20) +
			`</nav><div class="story">` + strings.Repeat(`<p>The story's own paragraph, printed once and long enough to count as text.</p>`, 10) + `</div></body></html>`, "story"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := goquery.NewDocumentFromReader(strings.NewReader(c.page))
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if n := readable.DenseBody(doc.Nodes[0]); n != nil {
				got = attr(n, "class")
			}
			if got != c.want {
				t.Errorf("DenseBody = %q, want %q", got, c.want)
			}
		})
	}
}

// TestBylineRulesDenseBody runs the byline cases on pages whose body
// readable.DenseBody finds, where readability's byline rule runs as parc's own
// (genericByline): every case gives the byline go-readability's gives.
func TestBylineRulesDenseBody(t *testing.T) {
	cases := bylineRuleCases()
	for i := range cases {
		c := &cases[i]
		c.page = longRulePage(c.page)
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(c.page))
		if err != nil {
			t.Fatal(err)
		}
		if readable.DenseBody(doc.Nodes[0]) == nil {
			t.Fatalf("%s: readable.DenseBody found no body: the case would not test it", c.name)
		}
	}
	testBylineCases(t, cases)
}

// TestDenseBodyReadabilityDrops: blocks go-readability drops from the
// article box, the dense path (which skips go-readability) drops by its
// own rules, and records.
func TestDenseBodyReadabilityDrops(t *testing.T) {
	cases := []struct {
		name, block, text, rule string
	}{
		// go-readability drops the block by its class before scoring.
		{"an embed's consent footer", `<div class="embed-wrapper__footer"><p>Ich bin damit einverstanden, dass mir externe Inhalte angezeigt werden.</p></div>`,
			"einverstanden", RuleUnlikely},
		// go-readability drops it for its input; form-widgets runs before
		// the scripts rule takes the checkbox and leaves the label.
		{"an embed's consent toggle", `<div class="embed-consent"><label class="embed-consent__toggle"><input type="checkbox"><span></span> Externer Inhalt</label> <a href="/hilfe/datenschutz">Datenschutzerklärung</a></div>`,
			"Externer Inhalt", RuleFormWidgets},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			art := extractHTMLExplain(t, longRulePage(rulePage("de", "", "", c.block)), "https://news.example/2024/05/03/budget")
			if strings.Contains(art.Body, c.text) {
				t.Errorf("%q is in the body: %q", c.text, art.Body)
			}
			if !removedBy(art, c.rule, c.text) {
				t.Errorf("%q is not in the audit trail as %s: %+v", c.text, c.rule, art.Removed)
			}
			if !strings.HasSuffix(art.Body, "closed since the storm in March.") {
				t.Errorf("body ends %q, want the article's last paragraph", shorten(art.Body, 60))
			}
		})
	}
}

func TestDenseBodyGivenUpLeavesNoAudit(t *testing.T) {
	// Every paragraph of the dense element is a comment's (a thread
	// printed above the article): cleaning leaves none, so the page goes
	// to go-readability, which takes the story, and the audit trail does
	// not tell of removals from a body that was not taken.
	var comments, story strings.Builder
	for i := range 10 {
		fmt.Fprintf(&comments, `<p class="comment-text">Reader %d wrote a comment on the story, long enough to count as a paragraph.</p>`, i)
	}
	for i := range 4 {
		fmt.Fprintf(&story, `<p>Paragraph %d of the story itself, printed in a box of its own above the thread.</p>`, i)
	}
	page := `<html lang="en"><head><title>Harbour works</title></head><body><section><div class="thread">` + comments.String() +
		`</div></section><main><h1>Harbour works</h1><div class="story">` + story.String() + `</div></main></body></html>`
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	if n := readable.DenseBody(doc.Nodes[0]); n == nil || attr(n, "class") != "thread" {
		t.Fatal("the thread is not the dense element: the case would not test the fallback")
	}
	art := extractHTMLExplain(t, page, "https://news.example/2024/05/03/harbour-works")
	for _, r := range art.Removed {
		if r.Rule == RuleUnlikely {
			t.Fatalf("the audit trail tells of the dense body given up: %+v", r)
		}
	}
	if !strings.HasPrefix(art.Body, "Paragraph 0 of the story") || strings.Contains(art.Body, "wrote a comment") {
		t.Errorf("body %q, want the story", art.Body)
	}
}
