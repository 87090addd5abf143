package main

// The rules of issue 14. Adding one is one line in a table below.
//
// A package pattern starting with "./" is relative to the checked module
// ("./extract" is <module>/extract); any other is an import path. A
// pattern ending in "/..." also matches the packages below it, and "./..."
// is every package of the module.

// rules is everything the checker enforces.
type rules struct {
	funcLines   []lineLimit  // first match wins; the last one should be "./..."
	maxCyclo    int          // a function of this cyclomatic complexity or more is a violation
	maxPkgLines int          // non-test lines of one package directory
	imports     []importRule // what a package may not import
	noRequire   []string     // modules the checked go.mod must not require
}

// lineLimit is the longest a function in the matching packages may be,
// in lines from "func" to the closing brace.
type lineLimit struct {
	pkg string
	max int
}

// importRule says that the packages matching pkg import no package
// matching any of forbid, except those matching allow. Direct rules look
// at the package's own import declarations; the others at everything it
// depends on in a non-test build (go list -deps).
type importRule struct {
	pkg    string
	direct bool
	forbid []string
	allow  []string
}

const (
	colly   = "github.com/gocolly/colly/v2/..."
	bbolt   = "go.etcd.io/bbolt/..."
	goquery = "github.com/PuerkitoBio/goquery/..."
	// exportFormats are the packages of parc's export formats once they
	// leave archive (issue 14).
	exportFormats = "./export/..."
)

// parcRules are the rules for parc's root module.
func parcRules() rules {
	return rules{
		funcLines: []lineLimit{
			{"./cmd/parc", 60},
			{"./...", 100},
		},
		maxCyclo:    30,
		maxPkgLines: 4000,
		imports: []importRule{
			{pkg: "./archive", forbid: []string{"./extract", colly, exportFormats}},
			{pkg: "./crawler", forbid: []string{"./extract"}},
			{pkg: "./cmd/parc", direct: true, forbid: []string{bbolt, colly, goquery}},
			{pkg: "./extract", forbid: []string{"./..."}, allow: []string{"./internal/...", "./extract/internal/...", "./extract/template"}},
			// A portal's template model: hashes of what pages print
			// alike, read by extract, built by run; nothing of parc above it.
			{pkg: "./extract/template", forbid: []string{"./..."}, allow: []string{"./extract/internal/..."}},
			// learn proposes selectors from pages: extraction and the
			// shared internals only (no archive, crawler or run).
			{pkg: "./learn", forbid: []string{"./..."}, allow: []string{"./extract", "./extract/internal/...", "./extract/template", "./internal/..."}},
			// parc portal add infers a portal's entry from fetched pages:
			// the crawler, learn and extraction, no archive or run.
			{pkg: "./discover", forbid: []string{"./..."}, allow: []string{"./crawler", "./learn", "./extract", "./extract/internal/...", "./extract/template", "./internal/...", "./frontier", "./failure"}},
			// The export formats write from record sources: no archive.
			{pkg: "./export", forbid: []string{"./..."}, allow: []string{"./record", "./internal/warcrec"}},
			// A capture's WARC records, built by the archive when it
			// stores the capture and by the export for older captures.
			{pkg: "./internal/warcrec", forbid: []string{"./..."}, allow: []string{"./record"}},
			// Leaves: the vocabularies every layer shares.
			{pkg: "./frontier", forbid: []string{"./..."}},
			{pkg: "./failure", forbid: []string{"./..."}},
			{pkg: "./record", forbid: []string{"./..."}},
			{pkg: "./runrecord", forbid: []string{"./..."}, allow: []string{"./failure"}},
			// Nothing below the crawl run uses it, and nothing uses cmd.
			{pkg: "./archive/...", forbid: []string{"./run/...", "./cmd/..."}},
			{pkg: "./crawler/...", forbid: []string{"./run/...", "./cmd/..."}},
			{pkg: "./notify/...", forbid: []string{"./run/...", "./cmd/..."}},
			{pkg: "./monitor/...", forbid: []string{"./run/...", "./cmd/..."}},
			{pkg: "./sim/...", forbid: []string{"./run/...", "./cmd/..."}},
			{pkg: "./internal/...", forbid: []string{"./run/...", "./cmd/..."}},
			// The web pages read the archive; they fetch and extract nothing.
			{pkg: "./serve/...", forbid: []string{"./run/...", "./cmd/...", "./crawler/...", "./extract/...", colly}},
			// Libraries that only the tests use (feed and WARC readers, the
			// browser driver).
			{pkg: "./...", forbid: []string{"github.com/mmcdole/gofeed/...", "github.com/internetarchive/gowarc/...", "github.com/chromedp/..."}},
		},
		noRequire: []string{"github.com/markusmobius/go-trafilatura"},
	}
}
