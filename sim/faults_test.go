package sim

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

func faultPortal(t *testing.T) (*Portal, *httptest.Server, map[string]Fault) {
	t.Helper()
	p := New(Options{Articles: 60, Seed: 3, Faults: true, SlowDelay: 300 * time.Millisecond, HugeBytes: 1 << 20,
		OffsiteURL: "http://offsite.example/landing"})
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	byKind := map[string]Fault{}
	for _, f := range p.Faults() {
		byKind[f.Kind] = f
	}
	if len(byKind) != 12 {
		t.Fatalf("got %d fault kinds: %v", len(byKind), byKind)
	}
	return p, srv, byKind
}

func noRedirect(c *http.Client) *http.Client {
	c2 := *c
	c2.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &c2
}

func fetch(t *testing.T, c *http.Client, u string) (*http.Response, []byte, error) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, b, err
}

func TestFaults(t *testing.T) {
	p, srv, f := faultPortal(t)
	c := noRedirect(srv.Client())
	statuses := func(path string, n int) []int {
		var out []int
		for i := 0; i < n; i++ {
			resp, _, err := fetch(t, c, srv.URL+path)
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			out = append(out, resp.StatusCode)
		}
		return out
	}
	tests := []struct {
		kind string
		want []int
	}{
		{"503-once", []int{503, 200, 200}},
		{"503-twice", []int{503, 503, 200}},
		{"429-seconds", []int{429, 200}},
		{"429-date", []int{429, 200}},
		{"gone", []int{404, 404}},
	}
	for _, tc := range tests {
		t.Run(tc.kind, func(t *testing.T) {
			got := statuses(f[tc.kind].Path, len(tc.want))
			if fmtInts(got) != fmtInts(tc.want) {
				t.Errorf("statuses %v, want %v", got, tc.want)
			}
		})
	}
	t.Run("retry-after", func(t *testing.T) {
		p2 := New(Options{Articles: 60, Seed: 3, Faults: true, RetryAfter: 7})
		fs := map[string]string{}
		for _, x := range p2.Faults() {
			fs[x.Kind] = x.Path
		}
		if ra := get(t, p2, fs["429-seconds"]).Header().Get("Retry-After"); ra != "7" {
			t.Errorf("Retry-After %q", ra)
		}
		ra := get(t, p2, fs["429-date"]).Header().Get("Retry-After")
		if at, err := http.ParseTime(ra); err != nil || !at.Equal(refTime.Add(7*time.Second)) {
			t.Errorf("Retry-After %q (%v)", ra, err)
		}
	})
	t.Run("slow", func(t *testing.T) {
		client := &http.Client{Timeout: 100 * time.Millisecond}
		_, _, err := fetch(t, client, srv.URL+f["slow"].Path)
		var ne interface{ Timeout() bool }
		if err == nil || !errors.As(err, &ne) || !ne.Timeout() {
			t.Fatalf("first request: %v, want a timeout", err)
		}
		resp, _, err := fetch(t, client, srv.URL+f["slow"].Path)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("second request: %v", err)
		}
	})
	t.Run("truncated", func(t *testing.T) {
		_, _, err := fetch(t, c, srv.URL+f["truncated"].Path)
		if !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Fatalf("first read: %v, want unexpected EOF", err)
		}
		resp, b, err := fetch(t, c, srv.URL+f["truncated"].Path)
		if err != nil || resp.StatusCode != 200 || !strings.Contains(string(b), "</html>") {
			t.Fatalf("second request: %v", err)
		}
	})
	t.Run("windows-1258", func(t *testing.T) {
		resp, b, err := fetch(t, c, srv.URL+f["windows-1258"].Path)
		if err != nil {
			t.Fatal(err)
		}
		if ct := resp.Header.Get("Content-Type"); !strings.Contains(ct, "windows-1258") || !strings.Contains(strings.SplitN(string(b), "</head>", 2)[0], `windows-1258`) {
			t.Errorf("charset not declared: %s", ct)
		}
		utf8, err := charmap.Windows1258.NewDecoder().Bytes(b)
		if err != nil {
			t.Fatal(err)
		}
		a, _ := p.Lookup(f["windows-1258"].Key)
		if norm.NFC.IsNormal(utf8) || !strings.ContainsRune(string(utf8), 0x301) {
			t.Error("tone marks are not combining characters")
		}
		x := extractPage(t, norm.NFC.Bytes(utf8))
		if x.title != a.Title || x.body != a.Body {
			t.Errorf("decoded page differs from truth: %q", x.title)
		}
	})
	t.Run("malformed", func(t *testing.T) {
		_, b, err := fetch(t, c, srv.URL+f["malformed"].Path)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), "</p>") {
			t.Error("paragraphs are closed")
		}
		a, _ := p.Lookup(f["malformed"].Key)
		if x := extractPage(t, b); x.body != a.Body || x.title != a.Title {
			t.Errorf("malformed page extracts differently:\n%q\n%q", x.body, a.Body)
		}
	})
	t.Run("redirects", func(t *testing.T) {
		resp, _, _ := fetch(t, c, srv.URL+f["redirect-loop"].Path)
		next := resp.Header.Get("Location")
		resp2, _, _ := fetch(t, c, srv.URL+next)
		if resp.StatusCode != 302 || resp2.Header.Get("Location") != f["redirect-loop"].Path {
			t.Errorf("no loop: %s -> %s", next, resp2.Header.Get("Location"))
		}
		resp, _, _ = fetch(t, c, srv.URL+f["offsite-redirect"].Path)
		if resp.Header.Get("Location") != "http://offsite.example/landing" {
			t.Errorf("offsite Location %q", resp.Header.Get("Location"))
		}
	})
	t.Run("huge", func(t *testing.T) {
		resp, b, err := fetch(t, c, srv.URL+f["huge"].Path)
		if err != nil || resp.ContentLength != -1 || len(b) < 1<<20 {
			t.Errorf("huge page: %v, length %d, read %d", err, resp.ContentLength, len(b))
		}
	})
	t.Run("linked", func(t *testing.T) {
		home := get(t, p, "/").Body.String()
		for _, k := range []string{"redirect-loop", "offsite-redirect", "huge"} {
			if !strings.Contains(home, f[k].Path) {
				t.Errorf("home does not link %s", k)
			}
		}
	})
	s := p.Requests().Faults
	if s.Unavailable != 3 || s.TooManyRequests != 1 || s.TooManyUntilDate != 1 || s.Slow != 1 || s.Truncated != 1 ||
		s.Windows1258 != 1 || s.Malformed != 1 || s.RedirectLoop != 2 || s.Offsite != 1 || s.Huge != 1 {
		t.Errorf("fault stats %+v", s)
	}
}

func fmtInts(v []int) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = strconv.Itoa(x)
	}
	return "[" + strings.Join(s, " ") + "]"
}
