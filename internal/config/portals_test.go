package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// twoPortals is a multi-portal config: a with crawl overrides and a
// cadence, b with neither.
const twoPortals = `portals:
  - name: group
    start_urls: ["https://example.com/", "https://example.com/news/"]
    article_url: '/news/\d+\.html$'
    listing_url: '/(news/)?$'
    selectors:
      title: "h1.title"
      remove: ["div.ad"]
    timezone: Europe/Paris
    crawl:
      delay: 3s
      parallelism: 1
      max_pages: 50
      every: 10m
      max_crawl_delay: 5s
      user_agent: "parc-group"
    cadence:
      - {url: "https://example.com/news/", every: 2m}
  - name: member_1.vn
    start_urls: ["http://127.0.0.1:8081/"]
crawl:
  delay: 1s
  parallelism: 4
  retries: 7
  every: 30m
archive:
  path: /tmp/many.db
`

// writeTree writes files (path relative to dir → content) under dir.
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// lineOf is the 1-based line of text's first line containing s.
func lineOf(t *testing.T, text, s string) int {
	t.Helper()
	for i, l := range strings.Split(text, "\n") {
		if strings.Contains(l, s) {
			return i + 1
		}
	}
	t.Fatalf("%q not in the text", s)
	return 0
}

func TestPortalsList(t *testing.T) {
	c, err := Parse(strings.NewReader(twoPortals), "config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if got := c.PortalNames(); !slices.Equal(got, []string{"group", "member_1.vn"}) {
		t.Fatalf("PortalNames = %q", got)
	}
	views := c.PortalConfigs()
	if len(views) != 2 {
		t.Fatalf("%d views", len(views))
	}
	g, m := views[0], views[1]
	wantG := c.Crawl
	wantG.Delay, wantG.Parallelism, wantG.MaxPages = Duration(3*time.Second), 1, 50
	wantG.Every, wantG.MaxCrawlDelay, wantG.UserAgent = Duration(10*time.Minute), Duration(5*time.Second), "parc-group"
	if g.Crawl != wantG {
		t.Errorf("group's crawl = %+v\nwant %+v", g.Crawl, wantG)
	}
	if g.Crawl.Retries != 7 || g.Crawl.Timeout.D() != 30*time.Second {
		t.Errorf("group's crawl lost the top-level and default keys: %+v", g.Crawl)
	}
	if m.Crawl != c.Crawl {
		t.Errorf("member's crawl = %+v, want the top-level %+v", m.Crawl, c.Crawl)
	}
	if g.Portal.Name != "group" || g.Portal.Location().String() != "Europe/Paris" || !g.Portal.ArticleRE().MatchString("https://example.com/news/12.html") {
		t.Errorf("group's portal not validated: %+v", g.Portal)
	}
	if !slices.Equal(g.Portal.AllowedDomains, []string{"example.com", "example.com"}) || g.Portal.Selectors.Remove[0] != "div.ad" {
		t.Errorf("group's portal: %+v", g.Portal)
	}
	if m.Portal.Location().String() != "Asia/Ho_Chi_Minh" || m.Portal.AllowedDomains[0] != "127.0.0.1" || m.Portal.ArticleRE() != nil {
		t.Errorf("member's defaults: tz %v, domains %q", m.Portal.Location(), m.Portal.AllowedDomains)
	}
	if len(g.Watch.Cadence) != 1 || g.Watch.Cadence[0].Every.D() != 2*time.Minute || len(m.Watch.Cadence) != 0 {
		t.Errorf("cadences: %+v %+v", g.Watch.Cadence, m.Watch.Cadence)
	}
	if g.HealthMaxAge() != 30*time.Minute {
		t.Errorf("group's HealthMaxAge = %v, want 3 × its own every", g.HealthMaxAge())
	}
	for _, v := range views {
		if len(v.Portals) != 0 || v.PortalsDir != "" || len(v.Warnings()) != 0 {
			t.Errorf("view %s keeps multi-portal fields: %d portals, dir %q", v.Portal.Name, len(v.Portals), v.PortalsDir)
		}
		if v.Archive != c.Archive || v.Watch.Listen != c.Watch.Listen {
			t.Errorf("view %s: archive %+v, watch %+v", v.Portal.Name, v.Archive, v.Watch)
		}
		if got := v.PortalConfigs(); len(got) != 1 || !reflect.DeepEqual(got[0], v) {
			t.Errorf("a view's PortalConfigs is not itself")
		}
	}
	if c.Portal.Name != "group" {
		t.Errorf("c.Portal = %q, want the first portal", c.Portal.Name)
	}
}

func TestPortalsDir(t *testing.T) {
	dir := t.TempDir()
	main := twoPortals + "portals_dir: portals.d\n"
	writeTree(t, dir, map[string]string{
		"config.yaml":             main,
		"portals.d/b.yaml":        "name: b\nstart_urls: [\"https://b.example/\"]\ncrawl: {parallelism: 3}\n",
		"portals.d/a.yml":         "name: a\nstart_urls: [\"https://a.example/\", \"https://a.example/x\"]\ncadence: [{url: \"https://a.example/x\", every: 1h}]\n",
		"portals.d/notes.txt":     "not a portal",
		"portals.d/.b.yaml.swp":   "editor junk",
		"portals.d/.old.yaml":     "name: [",
		"portals.d/sub/c.yaml":    "name: c\n",
		"elsewhere/portals/z.yml": "name: z\nstart_urls: [\"https://z.example/\"]\n",
	})
	want := []string{"group", "member_1.vn", "a", "b"}
	path := filepath.Join(dir, "config.yaml")
	check := func(how string, c *Config, err error, want []string) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", how, err)
		}
		if got := c.PortalNames(); !slices.Equal(got, want) {
			t.Errorf("%s: PortalNames = %q, want %q", how, got, want)
		}
	}
	c, err := ParseFile(path)
	check("ParseFile", c, err, want)
	views := c.PortalConfigs()
	if views[3].Crawl.Parallelism != 3 || views[2].Crawl.Parallelism != 4 || len(views[2].Watch.Cadence) != 1 {
		t.Errorf("dir entries' overrides: a %+v, b %+v", views[2].Crawl, views[3].Crawl)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c, err = Parse(f, path)
	check("Parse with the file's name", c, err, want)
	c, err = ParseIn(strings.NewReader(main), "stdin.yaml", dir)
	check("ParseIn", c, err, want)
	only := "portals_dir: elsewhere/portals\n"
	c, err = ParseIn(strings.NewReader(only), "cfg.yaml", dir)
	check("portals_dir alone", c, err, []string{"z"})
	abs := "portals_dir: " + filepath.Join(dir, "portals.d") + "\n"
	c, err = Parse(strings.NewReader(abs), "cfg.yaml")
	check("an absolute portals_dir", c, err, []string{"a", "b"})
}

func TestPortalsErrors(t *testing.T) {
	okFile := "name: b\nstart_urls: [\"https://b.example/\"]\n"
	withDir := func(s string) string { return s + "portals_dir: portals.d\n" }
	tests := []struct {
		name  string
		main  string
		files map[string]string
		// file is relative to the test's directory; line is found by
		// lineOf(file's text, at), or 1 when at is empty.
		file, at, key, msg string
		alsoMsg            string // a second place the message names ("file:at")
	}{
		{name: "bad regexp in a listed entry", main: strings.Replace(twoPortals, `listing_url: '/(news/)?$'`, `listing_url: '/(news/?$'`, 1),
			file: "config.yaml", at: "listing_url", key: "portals[0].listing_url", msg: "bad regexp"},
		{name: "bad start url of the second entry", main: strings.Replace(twoPortals, `"http://127.0.0.1:8081/"`, `"ftp://x/"`, 1),
			file: "config.yaml", at: "ftp://", key: "portals[1].start_urls[0]", msg: "absolute http(s)"},
		{name: "unknown key in an entry", main: strings.Replace(twoPortals, "    timezone: Europe/Paris", "    timezone: Europe/Paris\n    selector: {}", 1),
			file: "config.yaml", at: "selector: {}", key: "portals[0].selector", msg: `unknown key "selector"`},
		{name: "unknown key under an entry's crawl", main: strings.Replace(twoPortals, "      max_pages: 50", "      max_pages: 50\n      timeout: 5s", 1),
			file: "config.yaml", at: "timeout: 5s", key: "portals[0].crawl.timeout", msg: `unknown key "timeout" (a portal's crawl: may set only delay, parallelism`},
		{name: "override out of range", main: strings.Replace(twoPortals, "      parallelism: 1", "      parallelism: 0", 1),
			file: "config.yaml", at: "parallelism: 0", key: "portals[0].crawl.parallelism", msg: "at least 1"},
		{name: "bad override duration", main: strings.Replace(twoPortals, "delay: 3s", "delay: slow", 1),
			file: "config.yaml", at: "delay: slow", key: "portals[0].crawl.delay", msg: "bad duration"},
		{name: "empty override user agent", main: strings.Replace(twoPortals, `user_agent: "parc-group"`, `user_agent: ""`, 1),
			file: "config.yaml", at: `user_agent: ""`, key: "portals[0].crawl.user_agent", msg: "must not be empty"},
		{name: "cadence of another portal's url", main: strings.Replace(twoPortals, `{url: "https://example.com/news/", every: 2m}`, `{url: "http://127.0.0.1:8081/", every: 2m}`, 1),
			file: "config.yaml", at: "127.0.0.1:8081/\", every", key: "portals[0].cadence[0].url", msg: "not one of portals[0].start_urls"},
		{name: "no name", main: strings.Replace(twoPortals, "  - name: member_1.vn\n    start_urls", "  - start_urls", 1),
			file: "config.yaml", at: "- start_urls", key: "portals[1].name", msg: "needs a name"},
		{name: "unsafe name", main: strings.Replace(twoPortals, "name: member_1.vn", "name: member 1/vn", 1),
			file: "config.yaml", at: "member 1/vn", key: "portals[1].name", msg: "only letters, digits, '-', '_' and '.'"},
		{name: "one name twice in the list", main: strings.Replace(twoPortals, "name: member_1.vn", "name: group # again", 1),
			file: "config.yaml", at: "# again", key: "portals[1].name", msg: `portal "group" is defined twice`, alsoMsg: "config.yaml:name: group"},
		{name: "one name in the list and in the dir", main: withDir(twoPortals), files: map[string]string{"portals.d/a.yaml": okFile, "portals.d/b.yaml": "name: member_1.vn\nstart_urls: [\"https://b.example/\"]\n"},
			file: "portals.d/b.yaml", at: "name: member_1.vn", key: "name", msg: `portal "member_1.vn" is defined twice`, alsoMsg: "config.yaml:name: member_1.vn"},
		{name: "one name in two dir files", main: "portals_dir: portals.d\n", files: map[string]string{"portals.d/a.yaml": okFile, "portals.d/b.yaml": okFile},
			file: "portals.d/b.yaml", at: "name: b", key: "name", msg: "defined twice", alsoMsg: "portals.d/a.yaml:name: b"},
		{name: "bad selector in a dir file", main: withDir(twoPortals), files: map[string]string{"portals.d/b.yaml": okFile + "selectors:\n  title: \"div..x >\"\n"},
			file: "portals.d/b.yaml", at: "div..x", key: "selectors.title", msg: "bad selector"},
		{name: "unknown key under a dir file's crawl", main: withDir(twoPortals), files: map[string]string{"portals.d/b.yaml": okFile + "crawl:\n  delay: 2s\n  retries: 9\n"},
			file: "portals.d/b.yaml", at: "retries", key: "crawl.retries", msg: `unknown key "retries" (a portal's crawl: may set only`},
		{name: "override out of range in a dir file", main: withDir(twoPortals), files: map[string]string{"portals.d/b.yaml": okFile + "crawl: {max_pages: -1}\n"},
			file: "portals.d/b.yaml", at: "max_pages", key: "crawl.max_pages", msg: "at least 0"},
		{name: "dir file without start urls", main: withDir(twoPortals), files: map[string]string{"portals.d/b.yaml": "# b\nname: b\n"},
			file: "portals.d/b.yaml", at: "name: b", key: "start_urls", msg: "at least one start URL"},
		{name: "dir file wrapped in portal:", main: withDir(twoPortals), files: map[string]string{"portals.d/b.yaml": "portal:\n  name: b\n"},
			file: "portals.d/b.yaml", at: "portal:", key: "portal", msg: "not under portal:"},
		{name: "empty dir file", main: withDir(twoPortals), files: map[string]string{"portals.d/b.yaml": "# nothing yet\n"},
			file: "portals.d/b.yaml", key: "", msg: "empty"},
		{name: "syntax error in a dir file", main: withDir(twoPortals), files: map[string]string{"portals.d/b.yaml": okFile + "crawl: [\n"},
			file: "portals.d/b.yaml", key: "", msg: ""},
		{name: "missing dir", main: withDir(twoPortals),
			file: "config.yaml", at: "portals_dir:", key: "portals_dir", msg: "no such directory"},
		{name: "dir with no portal files", main: withDir(twoPortals), files: map[string]string{"portals.d/README.md": "# portals"},
			file: "config.yaml", at: "portals_dir:", key: "portals_dir", msg: "no portal files"},
		{name: "empty portals_dir", main: "portals_dir: \"\"\n", file: "config.yaml", at: "portals_dir", key: "portals_dir", msg: "must name a directory"},
		{name: "empty list", main: "portals: []\ncrawl:\n  delay: 1s\n", file: "config.yaml", at: "portals:", key: "portals", msg: "the list is empty"},
		{name: "empty list with a dir", main: withDir("portals: []\n"), files: map[string]string{"portals.d/b.yaml": okFile},
			file: "config.yaml", at: "portals:", key: "portals", msg: "the list is empty"},
		{name: "portal: and portals:", main: "portal:\n  start_urls: [\"https://x.example/\"]\n" + twoPortals,
			file: "config.yaml", at: "portals:", key: "portals", msg: "use portal: for one portal, or portals:/portals_dir: for many"},
		{name: "portal: and portals_dir:", main: withDir("portal:\n  start_urls: [\"https://x.example/\"]\n"), files: map[string]string{"portals.d/b.yaml": okFile},
			file: "config.yaml", at: "portals_dir:", key: "portals_dir", msg: "portal: is set too"},
		{name: "top-level cadence with many portals", main: twoPortals + "watch:\n  cadence: [{url: \"https://example.com/\", every: 1m}]\n",
			file: "config.yaml", at: "cadence: [{", key: "watch.cadence", msg: "each portal sets its own cadence:"},
		{name: "top-level crawl still checked", main: strings.Replace(twoPortals, "  retries: 7", "  retries: -1", 1),
			file: "config.yaml", at: "retries: -1", key: "crawl.retries", msg: "at least 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			files := map[string]string{"config.yaml": tt.main}
			for k, v := range tt.files {
				files[k] = v
			}
			writeTree(t, dir, files)
			_, err := ParseFile(filepath.Join(dir, "config.yaml"))
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want *Error", err)
			}
			wantFile := filepath.Join(dir, tt.file)
			if ce.File != wantFile || !strings.HasPrefix(err.Error(), wantFile) {
				t.Errorf("file = %q, want %q (%v)", ce.File, wantFile, err)
			}
			if tt.key != "" || tt.at != "" {
				wantLine := 1
				if tt.at != "" {
					wantLine = lineOf(t, files[tt.file], tt.at)
				}
				if ce.Line != wantLine {
					t.Errorf("line = %d, want %d (%v)", ce.Line, wantLine, err)
				}
			}
			if ce.Key != tt.key {
				t.Errorf("key = %q, want %q (%v)", ce.Key, tt.key, err)
			}
			if !strings.Contains(ce.Msg, tt.msg) {
				t.Errorf("msg = %q, want it to contain %q", ce.Msg, tt.msg)
			}
			if tt.alsoMsg != "" {
				file, at, _ := strings.Cut(tt.alsoMsg, ":")
				other := place{filepath.Join(dir, file), lineOf(t, files[file], at)}.String()
				if !strings.Contains(ce.Msg, other) {
					t.Errorf("msg = %q, want it to name the other place %s", ce.Msg, other)
				}
			}
		})
	}
}

// A view is a copy: changing one changes neither c, nor another view, nor
// the views PortalConfigs returns later.
func TestPortalViewsIndependent(t *testing.T) {
	withHook := twoPortals + "notify:\n  webhooks: [{url: \"http://127.0.0.1:9/h\"}]\n"
	single := good + "notify:\n  webhooks: [{url: \"http://127.0.0.1:9/h\"}]\nwatch:\n  cadence: [{url: \"http://127.0.0.1:8080/\", every: 1m}]\n"
	for name, text := range map[string]string{"portals": withHook, "portal": single} {
		t.Run(name, func(t *testing.T) {
			c, err := Parse(strings.NewReader(text), "config.yaml")
			if err != nil {
				t.Fatal(err)
			}
			before := c.PortalConfigs()
			again := c.PortalConfigs()
			cCrawl := c.Crawl
			cPortal := c.Portal.clone()
			v := again[0]
			v.Crawl.MaxPages = 12345
			v.Portal.Name = "changed"
			v.Portal.StartURLs[0] = "http://changed/"
			v.Portal.AllowedDomains[0] = "changed"
			if len(v.Portal.Selectors.Remove) > 0 {
				v.Portal.Selectors.Remove[0] = "changed"
			}
			v.Notify.Webhooks[0].URL = "http://changed/"
			if len(v.Watch.Cadence) > 0 {
				v.Watch.Cadence[0].URL = "http://changed/"
			}
			if c.Crawl != cCrawl || !reflect.DeepEqual(c.Portal, cPortal) || c.Notify.Webhooks[0].URL == "http://changed/" ||
				(len(c.Watch.Cadence) > 0 && c.Watch.Cadence[0].URL == "http://changed/") {
				t.Errorf("changing a view changed c")
			}
			if later := c.PortalConfigs(); !reflect.DeepEqual(later, before) {
				t.Errorf("changing a view changed later views")
			}
			if len(again) > 1 && !reflect.DeepEqual(again[1], before[1]) {
				t.Errorf("changing a view changed another")
			}
			if len(c.Portals) > 0 && (c.Portals[0].Name != "group" || c.Portals[0].StartURLs[0] != "https://example.com/") {
				t.Errorf("changing a view changed c.Portals")
			}
		})
	}
}

// The single portal: form is one view equal to c.
func TestSinglePortalView(t *testing.T) {
	c, err := Parse(strings.NewReader(good), "config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	views := c.PortalConfigs()
	if len(views) != 1 || !reflect.DeepEqual(views[0], c) {
		t.Fatalf("views = %+v, want one equal to c", views)
	}
	if views[0] == c {
		t.Error("the view is c itself, not a copy")
	}
	if got := c.PortalNames(); !slices.Equal(got, []string{"test"}) {
		t.Errorf("PortalNames = %q", got)
	}
	sel, err := c.SelectPortals([]string{"test"})
	if err != nil || len(sel) != 1 || !reflect.DeepEqual(sel[0], c) {
		t.Errorf("SelectPortals(test) = %v, %v", sel, err)
	}
	if _, err := c.SelectPortals([]string{"other"}); err == nil || !strings.Contains(err.Error(), "(the portals are: test)") {
		t.Errorf("SelectPortals(other): %v", err)
	}
	if owner, ok := c.ClaimedByEarlier("http://127.0.0.1:8080/nd/a/b.html"); ok {
		t.Errorf("the only portal's URL is claimed by %q", owner)
	}
	if w := c.Warnings(); len(w) != 0 {
		t.Errorf("warnings: %q", w)
	}
}

func TestSelectPortals(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"portals.d/c.yaml": "name: c\nstart_urls: [\"https://c.example/\"]\n"})
	c, err := ParseIn(strings.NewReader(twoPortals+"portals_dir: portals.d\n"), "config.yaml", dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		names []string
		want  []string
		err   string
	}{
		{nil, []string{"group", "member_1.vn", "c"}, ""},
		{[]string{}, []string{"group", "member_1.vn", "c"}, ""},
		{[]string{"c"}, []string{"c"}, ""},
		{[]string{"c", "group"}, []string{"group", "c"}, ""},
		{[]string{"c", "c"}, []string{"c"}, ""},
		{[]string{"group", "nope"}, nil, `config.yaml: no portal named "nope" (the portals are: group, member_1.vn, c)`},
	} {
		views, err := c.SelectPortals(tt.names)
		if tt.err != "" {
			var ce *Error
			if !errors.As(err, &ce) || err.Error() != tt.err {
				t.Errorf("SelectPortals(%q): err = %v, want *Error %q", tt.names, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("SelectPortals(%q): %v", tt.names, err)
			continue
		}
		var got []string
		for _, v := range views {
			got = append(got, v.Portal.Name)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("SelectPortals(%q) = %q, want %q", tt.names, got, tt.want)
		}
	}
}

// overlapping: a URL in scope of several portals belongs to the first.
const overlapping = `portals:
  - name: group
    start_urls: ["https://example.com/", "https://example.com/start?x=1"]
    allowed_domains: ["example.com", "www.example.com"]
    article_url: '/news/[^/]+\.html$'
    listing_url: '/cat/[a-z]+$'
  - name: member
    start_urls: ["https://example.com/member/"]
    allowed_domains: ["example.com", "shop.example.com"]
  - name: articles-only
    start_urls: ["https://shop.example.com/"]
    article_url: '/p/\d+$'
  - name: loop-a
    start_urls: ["http://127.0.0.1:8080/"]
  - name: loop-b
    start_urls: ["http://127.0.0.1:8081/"]
  - name: loop-a2
    start_urls: ["http://127.0.0.1:8080/other/"]
    listing_url: '/other/'
`

func TestClaimedByEarlier(t *testing.T) {
	c, err := Parse(strings.NewReader(overlapping), "config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	views := map[string]*Config{}
	for _, v := range c.PortalConfigs() {
		views[v.Portal.Name] = v
	}
	for _, tt := range []struct {
		view, url, owner string
	}{
		{"group", "https://example.com/news/x.html", ""}, // the first portal: nothing before it
		{"member", "https://example.com/news/x.html", "group"},
		{"member", "HTTPS://WWW.Example.com/news/x.html#top", "group"},
		{"member", "https://example.com/cat/sport", "group"},
		{"member", "https://example.com/cat/sport/2", ""}, // matches neither of group's patterns
		{"member", "https://example.com/", "group"},       // group's start URL
		{"member", "https://example.com/start?utm_source=x&x=1", "group"},
		{"member", "http://example.com/news/x.html", ""}, // port 80: not group's server
		{"member", "https://example.com/member/about", ""},
		{"member", "https://shop.example.com/news/x.html", ""},
		{"articles-only", "https://shop.example.com/anything", "member"}, // member sets no pattern: all of its domains
		{"articles-only", "https://example.com/member/x", "member"},
		{"articles-only", "https://example.com/news/x.html", "group"}, // the first listed wins
		{"loop-b", "http://127.0.0.1:8081/nd/a.html", ""},             // loop-a is on another port
		{"loop-a2", "http://127.0.0.1:8080/other/x", "loop-a"},
		{"loop-a2", "not a url\x7f", ""},
	} {
		owner, ok := views[tt.view].ClaimedByEarlier(tt.url)
		if owner != tt.owner || ok != (tt.owner != "") {
			t.Errorf("%s: ClaimedByEarlier(%q) = %q, %v; want %q", tt.view, tt.url, owner, ok, tt.owner)
		}
	}
	var wg sync.WaitGroup // the views share the scopes: safe from many goroutines
	for _, v := range c.PortalConfigs() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				v.ClaimedByEarlier("https://example.com/news/x.html")
			}
		}()
	}
	wg.Wait()
	sel, err := c.SelectPortals([]string{"member"})
	if err != nil {
		t.Fatal(err)
	}
	if owner, _ := sel[0].ClaimedByEarlier("https://example.com/"); owner != "group" {
		t.Errorf("a selected portal's URL owned by an unselected earlier one: owner %q, want group", owner)
	}
	if owner, ok := c.ClaimedByEarlier("https://example.com/news/x.html"); ok {
		t.Errorf("c itself (the first portal's place) reports %q", owner)
	}
}

func TestOverlapWarnings(t *testing.T) {
	c, err := Parse(strings.NewReader(overlapping), "config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`portals "group" and "member" share allowed_domains example.com: a URL in both scopes belongs to "group", listed first`,
		`portals "member" and "articles-only" share allowed_domains shop.example.com: a URL in both scopes belongs to "member", listed first`,
		`portals "loop-a" and "loop-a2" share allowed_domains 127.0.0.1: a URL in both scopes belongs to "loop-a", listed first`,
	}
	if got := c.Warnings(); !slices.Equal(got, want) {
		t.Errorf("Warnings =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	c2, err := Parse(strings.NewReader(twoPortals), "config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if w := c2.Warnings(); len(w) != 0 {
		t.Errorf("disjoint portals warn: %q", w)
	}
}

// Portals on one CMS share their selectors through a YAML anchor; keys
// that come through a merge key count as set.
func TestPortalsShareByAnchor(t *testing.T) {
	in := `portals:
  - name: a
    start_urls: ["https://a.example/"]
    timezone: Asia/Bangkok
    selectors: &vieapps
      title: "div.cms.view.content > h2"
      remove: ["div.cms.view.others"]
  - <<: {timezone: Asia/Tokyo}
    name: b
    start_urls: ["https://b.example/"]
    selectors: *vieapps
`
	c, err := Parse(strings.NewReader(in), "config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	v := c.PortalConfigs()
	if v[1].Portal.Selectors.Title != "div.cms.view.content > h2" || v[1].Portal.Location().String() != "Asia/Tokyo" {
		t.Errorf("b: selectors %+v, zone %v", v[1].Portal.Selectors, v[1].Portal.Location())
	}
	v[1].Portal.Selectors.Remove[0] = "changed"
	if v[0].Portal.Selectors.Remove[0] != "div.cms.view.others" {
		t.Error("an anchored list is shared between views")
	}
}

func TestParseFileMissing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "none.yaml")
	_, err := ParseFile(path)
	var ce *Error
	if !errors.As(err, &ce) || ce.File != path || err.Error() != path+": no such file or directory" {
		t.Errorf("err = %v", err)
	}
}

// manyLoopback is a config of n portals on 127.0.0.1, one port each (as
// the scale benchmark runs them).
func manyLoopback(n int) string {
	var b strings.Builder
	b.WriteString("portals:\n")
	for i := range n {
		fmt.Fprintf(&b, "  - name: p%d\n    start_urls: [\"http://127.0.0.1:%d/\"]\n    article_url: '/nd/[^/]+/[^/]+\\.html$'\n", i, 20000+i)
	}
	return b.String()
}

func TestManyPortalsOnePerPort(t *testing.T) {
	c, err := Parse(strings.NewReader(manyLoopback(300)), "config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	views := c.PortalConfigs()
	if len(views) != 300 || len(c.Warnings()) != 0 {
		t.Fatalf("%d views, warnings %q", len(views), c.Warnings())
	}
	if owner, ok := views[299].ClaimedByEarlier("http://127.0.0.1:20299/nd/a/b.html"); ok {
		t.Errorf("claimed by %q", owner)
	}
	if owner, _ := views[299].ClaimedByEarlier("http://127.0.0.1:20007/nd/a/b.html"); owner != "p7" {
		t.Errorf("another port's article: owner %q, want p7", owner)
	}
}

// BenchmarkClaimedByEarlier is the check the crawl makes per link, for the
// last of 1 000 portals on one loopback address.
func BenchmarkClaimedByEarlier(b *testing.B) {
	c, err := Parse(strings.NewReader(manyLoopback(1000)), "config.yaml")
	if err != nil {
		b.Fatal(err)
	}
	last := c.PortalConfigs()[999]
	b.ReportAllocs()
	for b.Loop() {
		last.ClaimedByEarlier("http://127.0.0.1:20999/nd/tin-tuc/bai-viet.html")
	}
}

// BenchmarkParseManyPortals parses a config of 1 000 portals and makes
// their views.
func BenchmarkParseManyPortals(b *testing.B) {
	text := manyLoopback(1000)
	b.ReportAllocs()
	for b.Loop() {
		c, err := Parse(strings.NewReader(text), "config.yaml")
		if err != nil {
			b.Fatal(err)
		}
		c.PortalConfigs()
	}
}

// An entry marshals to a portals_dir file that reads back as itself (what
// `parc portal add` writes).
func TestPortalEntryMarshals(t *testing.T) {
	delay, every := Duration(2*time.Second), Duration(time.Hour)
	e := PortalEntry{
		Portal:  Portal{Name: "x.example", StartURLs: []string{"https://x.example/"}, ArticleURL: `/a/\d+$`, Timezone: "Asia/Bangkok"},
		Crawl:   CrawlOverride{Delay: &delay},
		Cadence: []Cadence{{URL: "https://x.example/", Every: every}},
	}
	data, err := yaml.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "parallelism") {
		t.Errorf("unset overrides written:\n%s", data)
	}
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"config.yaml": "portals_dir: portals.d\n", "portals.d/x.example.yaml": string(data)})
	c, err := ParseFile(filepath.Join(dir, "config.yaml"))
	if err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	v := c.PortalConfigs()[0]
	if v.Portal.Name != "x.example" || v.Crawl.Delay != delay || v.Crawl.Parallelism != Default().Crawl.Parallelism ||
		v.Portal.Location().String() != "Asia/Bangkok" || len(v.Watch.Cadence) != 1 || v.Watch.Cadence[0].Every != every {
		t.Errorf("read back: %+v %+v %+v\n%s", v.Portal, v.Crawl, v.Watch.Cadence, data)
	}
}
