package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

const bylineLabelPage = `<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Rat beschließt den Haushalt</title></head>
<body><article><h1>Rat beschließt den Haushalt nach langer Debatte</h1>
<p class="byline">Von: Max Mustermann</p>
<div class="content"><p>Der Rat hat am Dienstag den neuen Haushalt beschlossen, nach einer langen Debatte über die Kosten der Brückensanierung und der Schulbusse.</p>
<p>Die Opposition sagte, der Plan lasse zu wenig Geld für die Bibliotheken, die ihre Öffnungszeiten in diesem Jahr schon zweimal gekürzt haben.</p></div>
</article></body></html>`

// parc extract --explain names the rule that decided the byline, in the
// JSON record (explain_rules) and in the text form; the byline is the
// name without its label.
func TestExtractExplainNamesTheBylineRule(t *testing.T) {
	t.Chdir(t.TempDir())
	run := func(args ...string) string {
		var out, errOut bytes.Buffer
		err := runParc(context.Background(), append([]string{"extract", "--url", "https://zeitung.example/a/1"}, args...), strings.NewReader(bylineLabelPage), &out, &errOut)
		if code := exitCode(err); code != exitOK {
			t.Fatalf("exit %d: %s%s", code, errOut.String(), errString(err))
		}
		return out.String()
	}
	var rec struct {
		Byline string            `json:"byline"`
		Rules  map[string]string `json:"explain_rules"`
	}
	if err := json.Unmarshal([]byte(run("--explain", "-")), &rec); err != nil {
		t.Fatal(err)
	}
	if rec.Byline != "Max Mustermann" || rec.Rules["byline"] != "byline/author-element" {
		t.Errorf("byline %q, rule %q; want Max Mustermann by author-element", rec.Byline, rec.Rules["byline"])
	}
	if text := run("--explain", "--format", "text", "-"); !strings.Contains(text, "  byline: heuristic (rule byline/author-element)\n") {
		t.Errorf("text explain lacks the byline rule:\n%s", text)
	}
	if plain := run("-"); strings.Contains(plain, "explain_rules") {
		t.Errorf("explain_rules without --explain:\n%s", plain)
	}
}
