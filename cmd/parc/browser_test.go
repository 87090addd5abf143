package main

import (
	"context"
	"flag"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/parc-archiver/parc/archive"
	"github.com/parc-archiver/parc/internal/testtool"
	"github.com/parc-archiver/parc/serve"
	"github.com/parc-archiver/parc/sim"
)

// browserDeadline bounds each browser step: a wait on a DOM condition
// that never comes fails the test instead of hanging it.
const browserDeadline = 60 * time.Second

// browser starts Debian's chromium headless (no download: the system
// binary) with a fresh profile, and logs every request it makes.
type browser struct {
	ctx  context.Context
	mu   sync.Mutex
	reqs []string
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	path, ok := testtool.Find(t, "chromium", "chromium") // skipped without it unless PARC_REQUIRE_TOOLS is set
	if !ok {
		t.Skip("no chromium")
	}
	opts := append([]chromedp.ExecAllocatorOption{}, chromedp.DefaultExecAllocatorOptions[:]...)
	// TMPDIR: chromium puts its singleton socket's folder there, and
	// leaves it behind when the test ends the browser.
	opts = append(opts, chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.UserDataDir(t.TempDir()), chromedp.Env("TMPDIR="+t.TempDir()),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("no-first-run", true))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	b := &browser{ctx: ctx}
	err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			b.mu.Lock()
			b.reqs = append(b.reqs, e.Request.URL)
			b.mu.Unlock()
		}
	})
	if err != nil {
		t.Fatalf("chromium did not start: %v", err)
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatalf("network log: %v", err)
	}
	return b
}

// run runs steps with the step deadline.
func (b *browser) run(t *testing.T, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, browserDeadline)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// value runs one action that returns a value, with the step deadline.
func value[T any](t *testing.T, b *browser, what string, a chromedp.Action[T]) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, browserDeadline)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

// requests returns the URLs requested since the last call.
func (b *browser) requests() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	r := b.reqs
	b.reqs = nil
	return r
}

// TestBrowser drives chromium against parc serve on an archive of the
// simulated portal: search with and without diacritics through the form,
// the diff of an edited article after crawl --refresh, a replayed capture
// that requests nothing outside the server, a hostile title shown as
// text, and every page with JavaScript off.
func TestBrowser(t *testing.T) {
	b := newBrowser(t)
	fx := newBrowseFixture(t)
	base, id, hostileID, edited := fx.base, fx.id, fx.hostileID, fx.edited
	link := `ol.results a[href="/articles/` + id + `"]`

	t.Run("search", func(t *testing.T) {
		for _, q := range []string{edited.Title, serve.Fold(edited.Title)} {
			b.run(t, "search "+q, chromedp.Navigate(base+"/"),
				chromedp.SetValue(chromedp.ID("q"), q), chromedp.Submit(chromedp.ID("q")),
				chromedp.WaitVisible(chromedp.CSS(link)))
			text := value(t, b, "result", chromedp.Text(chromedp.CSS(link)))
			if text != edited.Title {
				t.Errorf("search %q: result titled %q, want %q", q, text, edited.Title)
			}
		}
	})

	t.Run("diff", func(t *testing.T) {
		b.run(t, "diff", chromedp.Navigate(base+"/articles/"+id+"/diff?a=1&b=2"),
			chromedp.WaitVisible(chromedp.CSS(`table.diff tr.changed ins`)))
		ins := value(t, b, "highlight", chromedp.Text(chromedp.CSS(`table.diff tr.changed ins`)))
		if ins == "" || !strings.Contains(edited.Body, strings.TrimSpace(ins)) {
			t.Errorf("highlighted %q, not in the edited body", ins)
		}
	})

	t.Run("replay", func(t *testing.T) {
		b.run(t, "article", chromedp.Navigate(base+"/articles/"+id), chromedp.WaitVisible(chromedp.CSS(`a[href^="/captures/"]`)))
		capLink := value(t, b, "capture link", chromedp.AttributeValue(chromedp.CSS(`a[href^="/captures/"]`), "href")).Value
		b.requests()
		first := strings.SplitN(edited.Body, "\n\n", 2)[0]
		b.run(t, "replay", chromedp.Navigate(base+capLink), chromedp.WaitVisible(chromedp.CSS("body")))
		body := value(t, b, "replay text", chromedp.Text(chromedp.CSS("body")))
		if !strings.Contains(body, first[:min(len(first), 60)]) {
			t.Errorf("the replay does not show the article's first paragraph %q:\n%.1000s", first, body)
		}
		reqs := b.requests()
		if len(reqs) == 0 || reqs[0] != base+capLink {
			t.Errorf("the network log did not see the replay itself first: %q", reqs)
		}
		for _, u := range reqs {
			if !strings.HasPrefix(u, base+"/") && !strings.HasPrefix(u, "data:") {
				t.Errorf("the replay requested %s, outside the server", u)
			}
		}
	})

	t.Run("hostile title", func(t *testing.T) {
		b.run(t, "hostile", chromedp.Navigate(base+"/articles/"+hostileID), chromedp.WaitVisible(chromedp.ID("title")))
		h1 := value(t, b, "title", chromedp.Text(chromedp.ID("title")))
		pwned := value(t, b, "script", chromedp.Evaluate[string](`typeof window.__pwned`))
		if h1 != hostileTitle || pwned != "undefined" {
			t.Errorf("title shown as %q (want the text %q), window.__pwned %s", h1, hostileTitle, pwned)
		}
	})

	t.Run("no javascript", func(t *testing.T) {
		if _, err := chromedp.Call(b.ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
			t.Fatal(err)
		}
		pages := map[string]string{
			"/": "svg.chart", "/search?q=" + url.QueryEscape(serve.Fold(edited.Title)): link,
			"/articles/" + id: "#title", "/articles/" + id + "/diff": "table.diff", "/nothing": "p.problem",
		}
		for path, sel := range pages {
			b.run(t, path, chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.CSS(sel)))
		}
	})
}

// browseFixture is parc serve on an archive of the simulated portal with
// one article edited twice (revision 2: a new title and paragraph) and one
// whose title is markup.
type browseFixture struct {
	base, id, hostileID string
	edited              sim.Article
}

func newBrowseFixture(t *testing.T) browseFixture {
	t.Helper()
	p := newPortal(t, sim.Options{Articles: 8, Seed: 5}, nil)
	p.crawl(t)
	truth := p.sim.Truth()
	target := truth[len(truth)/2]
	for range 2 { // the first edit changes the title, the second a paragraph
		if _, err := p.sim.Edit(target.Key); err != nil {
			t.Fatal(err)
		}
	}
	p.crawl(t, "--refresh")
	fx := browseFixture{hostileID: putHostile(t, p.db), edited: p.sim.Truth()[len(truth)/2]}
	for _, r := range p.records(t) {
		if r.URL == p.srv.URL+target.URL {
			fx.id = r.ID
		}
	}
	if fx.id == "" {
		t.Fatalf("%s not archived", target.URL)
	}
	fx.base, _ = startServe(t, "--config", p.config, "--archive", p.db, "--listen", "127.0.0.1:0")
	return fx
}

var updateScreenshots = flag.Bool("update", false, "rewrite the README's screenshots in docs/img (TestScreenshots)")

// TestScreenshots regenerates docs/img/serve-*.png, the README's pictures
// of the home, search, diff and replay pages:
//
//	go test ./cmd/parc -run Screenshots -update
//
// Without -update it writes nothing.
func TestScreenshots(t *testing.T) {
	if !*updateScreenshots {
		t.Skip("run with -update to rewrite docs/img")
	}
	b := newBrowser(t)
	fx := newBrowseFixture(t)
	b.run(t, "viewport", chromedp.EmulateViewport(1100, 760))
	b.run(t, "article", chromedp.Navigate(fx.base+"/articles/"+fx.id), chromedp.WaitVisible(chromedp.CSS(`a[href^="/captures/"]`)))
	capLink := value(t, b, "capture link", chromedp.AttributeValue(chromedp.CSS(`a[href^="/captures/"]`), "href")).Value
	shots := []struct{ name, path, wait string }{
		{"home", "/", "svg.chart"},
		{"search", "/search?q=" + url.QueryEscape(serve.Fold(fx.edited.Title)), "ol.results a"},
		{"diff", "/articles/" + fx.id + "/diff?a=1&b=2#first-change", "table.diff"},
		{"replay", capLink, "body"},
	}
	for _, s := range shots {
		b.run(t, s.name, chromedp.Navigate(fx.base+s.path), chromedp.WaitVisible(chromedp.CSS(s.wait)))
		png := value(t, b, s.name, chromedp.CaptureScreenshot())
		if err := os.WriteFile(filepath.Join("..", "..", "docs", "img", "serve-"+s.name+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

const hostileTitle = `<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"> Tin "độc"`

// putHostile stores an article whose title is markup and returns its id.
func putHostile(t *testing.T, db string) string {
	t.Helper()
	arc, err := archive.Open(db, archive.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer arc.Close()
	r, err := arc.Put(context.Background(), archive.Page{URL: "https://example.org/hostile.html", Portal: "vinachem-sim", FetchedAt: time.Date(2024, 3, 4, 9, 0, 0, 0, time.UTC),
		Article: &archive.Article{Title: hostileTitle, Body: "Nội dung.", Extraction: "profile"}})
	if err != nil {
		t.Fatal(err)
	}
	return r.ID
}
