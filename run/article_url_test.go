package run

import (
	"bytes"
	"context"
	"log/slog"
	"regexp"
	"strings"
	"testing"

	"github.com/parc-archiver/parc/sim"
)

// A config without portal.article_url, or one that matches none of the
// portal's pages, archives nothing: the run says so instead of ending
// silently.
func TestRunWarnsWhenNoPageIsAnArticle(t *testing.T) {
	for name, edit := range map[string]func(string) string{
		"no article_url": func(s string) string {
			return regexp.MustCompile(`(?m)^  article_url: .*\n`).ReplaceAllString(s, "")
		},
		"article_url matching nothing": func(s string) string {
			return regexp.MustCompile(`(?m)^  article_url: .*$`).ReplaceAllString(s, `  article_url: '^https?://nowhere\.example/'`)
		},
	} {
		t.Run(name, func(t *testing.T) {
			_, cfg := testPortal(t, sim.Options{Articles: 20, Seed: 3, PageSize: 5}, edit)
			var logs bytes.Buffer
			sum, err := Crawl(context.Background(), cfg, CrawlOptions{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
			if err != nil {
				t.Fatal(err)
			}
			if sum.New != 0 || sum.Crawl.Pages == 0 {
				t.Fatalf("new %d, pages %d: want pages fetched and nothing archived", sum.New, sum.Crawl.Pages)
			}
			if !strings.Contains(logs.String(), "none matched portal.article_url") {
				t.Errorf("no warning that no page matched:\n%s", logs.String())
			}
			if cfg.Portal.ArticleURL == "" && !strings.Contains(logs.String(), "portal.article_url is not set") {
				t.Errorf("no warning that article_url is not set:\n%s", logs.String())
			}
		})
	}
	// A normal crawl warns of neither.
	_, cfg := testPortal(t, sim.Options{Articles: 20, Seed: 3, PageSize: 5}, nil)
	var logs bytes.Buffer
	if _, err := Crawl(context.Background(), cfg, CrawlOptions{Logger: slog.New(slog.NewTextHandler(&logs, nil))}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(logs.String(), "article_url") {
		t.Errorf("a crawl that archived articles warned:\n%s", logs.String())
	}
}
