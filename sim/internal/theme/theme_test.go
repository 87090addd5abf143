package theme

import (
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
)

// Every format reproduces its PORTAL.md example from the example's instant.
func TestFormatsReproduceExamples(t *testing.T) {
	if len(formats) != len(axes[DateFormat].Values) {
		t.Fatal("the date_format axis and the format table differ")
	}
	for _, f := range Formats() {
		if got := string(f.Append(nil, f.At)); got != f.Example {
			t.Errorf("%s: got %q, want %q", f.Name, got, f.Example)
		}
	}
}

func TestDeterministic(t *testing.T) {
	for seed := int64(0); seed < 20; seed++ {
		a, b := Generate(seed), Generate(seed)
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("seed %d: two themes differ", seed)
		}
	}
}

// Over 50 seeds every axis takes several values (all of them when the
// axis has at most four), no two themes are equal, and the constraints
// hold.
func TestVarietyOver50Seeds(t *testing.T) {
	const n = 50
	seen := make([]map[uint8]int, numAxes)
	for i := range seen {
		seen[i] = map[uint8]int{}
	}
	themes := map[string]int64{}
	vocabHeadlines := map[string]bool{}
	for seed := int64(1); seed <= n; seed++ {
		th := Generate(seed)
		for a := range numAxes {
			seen[a][th.Values[a]]++
		}
		key := fmt.Sprintf("%v %+v %v %v", th.Values, th.Names, th.Wraps, th.BodyWraps)
		if other, dup := themes[key]; dup {
			t.Errorf("seeds %d and %d generate the same theme", other, seed)
		}
		themes[key] = seed
		vocabHeadlines[th.Names.Headline] = true
		checkConstraints(t, seed, &th)
	}
	for a := range numAxes {
		values := len(axes[a].Values)
		want := min(values, 4)
		if a == TimeElement {
			want = 2
		}
		if len(seen[a]) < want {
			t.Errorf("axis %s takes %d of its %d values over %d seeds: %v", AxisID(a), len(seen[a]), values, n, seen[a])
		}
	}
	if len(vocabHeadlines) < 20 {
		t.Errorf("only %d distinct headline class names over %d seeds", len(vocabHeadlines), n)
	}
}

func checkConstraints(t *testing.T, seed int64, th *Theme) {
	t.Helper()
	if th.DateOnly() && !th.Is(TimeElement, "present") {
		t.Errorf("seed %d: date-only format without <time>", seed)
	}
	if th.Is(Byline, "absent") && (th.Is(JSONLD, "person") || th.Is(MetaAuthor, "byline")) {
		t.Errorf("seed %d: metadata names an author the page does not print", seed)
	}
	if th.Is(HeadlineClass, "none") != (th.Names.Headline == "") {
		t.Errorf("seed %d: headline_class %s with class %q", seed, th.V(HeadlineClass), th.Names.Headline)
	}
	if d := int(th.Values[BoxDepth]); len(th.Wraps) != d {
		t.Errorf("seed %d: %d wraps for box_depth %d", seed, len(th.Wraps), d)
	}
}

// docs/SIMULATOR.md prints the same tables as the code.
func TestDocsListTheTable(t *testing.T) {
	doc, err := os.ReadFile("../../../docs/SIMULATOR.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{MarkdownTable(), FormatsTable()} {
		if !strings.Contains(string(doc), table) {
			t.Errorf("docs/SIMULATOR.md lacks the table (paste it from theme.MarkdownTable / FormatsTable):\n%s", table)
		}
	}
}
