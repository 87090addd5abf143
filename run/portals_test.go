package run

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/parc-archiver/parc/archive"
	"github.com/parc-archiver/parc/internal/config"
	"github.com/parc-archiver/parc/sim"
)

// A portal renamed in the config only would crawl and store its whole
// site again as new records of a new portal: the crawl refuses, naming
// parc portal rename, and goes on once the archive has the new name.
func TestCrawlRefusesAPortalRenamedInTheConfigOnly(t *testing.T) {
	ctx := context.Background()
	p, cfg := testPortal(t, sim.Options{Articles: 12, Seed: 5}, nil)
	if _, err := Crawl(ctx, cfg, CrawlOptions{}); err != nil {
		t.Fatal(err)
	}
	old := cfg.Portal.Name
	renamed, err := config.Parse(strings.NewReader(strings.Replace(p.Config(cfg.Portal.StartURLs[0]), "name: "+old, "name: group", 1)), "sim.yaml")
	if err != nil {
		t.Fatal(err)
	}
	renamed.Archive.Path = cfg.Archive.Path
	_, err = Crawl(ctx, renamed, CrawlOptions{})
	var ce *config.Error
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "parc portal rename "+old+" group") {
		t.Fatalf("crawl of the renamed portal: %v, want a config error naming parc portal rename", err)
	}
	a, err := archive.Open(cfg.Archive.Path, archive.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.RenamePortal(ctx, old, "group"); err != nil {
		t.Fatal(err)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	sum, err := Crawl(ctx, renamed, CrawlOptions{})
	if err != nil || sum.New != 0 {
		t.Fatalf("crawl after the rename: %d new, %v; want none new", sum.New, err)
	}
	if n := countRecords(t, cfg); n != len(p.Truth()) {
		t.Errorf("%d records for %d articles", n, len(p.Truth()))
	}
}
