package crawler

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/parc-archiver/parc/failure"
)

// COLLY_* environment variables (which colly.NewCollector applies after
// its options) change nothing: parc's user agent, body limit, domains and
// request budget hold.
func TestCollyEnvironmentDoesNotOverrideParc(t *testing.T) {
	for k, v := range map[string]string{
		"COLLY_USER_AGENT": "evil-agent", "COLLY_MAX_BODY_SIZE": "0", "COLLY_ALLOWED_DOMAINS": "elsewhere.example",
		"COLLY_MAX_REQUESTS": "1", "COLLY_DISALLOWED_DOMAINS": "127.0.0.1", "COLLY_CACHE_DIR": t.TempDir(),
	} {
		t.Setenv(k, v)
	}
	var mu sync.Mutex
	agents := map[string]bool{}
	_, srv := linkSite(t, 4, "", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		agents[r.UserAgent()] = true
		mu.Unlock()
		if r.URL.Path == "/a/3.html" {
			w.Write([]byte("<html><body>" + strings.Repeat("x", 4096) + "</body></html>")) // over MaxBodyBytes (2048)
			return
		}
		w.Write([]byte("<html><body><h1>" + r.URL.Path + "</h1></body></html>"))
	})
	c, err := New(testOptions(srv.URL), newMemFrontier(), func(context.Context, *Page) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	st, err := c.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.Articles != 3 || st.Failures[failure.TooLarge] != 1 {
		t.Errorf("articles %d, too-large %d; want 3 and 1 (/a/3.html over the body limit)", st.Articles, st.Failures[failure.TooLarge])
	}
	if len(agents) != 1 || !agents["parc-test"] {
		t.Errorf("user agents seen: %v, want only parc-test", agents)
	}
}
