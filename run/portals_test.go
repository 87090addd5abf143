package run

import (
	"context"
	"errors"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

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

// A bit flip in the portal registry's key names the portal otherwise
// than its records do. That is damage, not a renamed config: the crawl
// says the registry is damaged (exit 1), never a config error (exit 2)
// telling the user to rename a portal they never had (found by
// TestDamagedArchivesNeverCrashOrHang, seed 1796355557420085238).
func TestCrawlCallsADamagedRegistryDamage(t *testing.T) {
	ctx := context.Background()
	_, cfg := testPortal(t, sim.Options{Articles: 12, Seed: 5}, nil)
	if _, err := Crawl(ctx, cfg, CrawlOptions{}); err != nil {
		t.Fatal(err)
	}
	db, err := bolt.Open(cfg.Archive.Path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	old := []byte("=" + cfg.Portal.Name)
	flipped := append([]byte(nil), old...)
	flipped[len(flipped)-1] ^= 0x08 // one bit: "…sim" becomes "…sie"
	if err := db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte("portals"))
		v := append([]byte(nil), b.Get(old)...)
		if len(v) == 0 {
			t.Fatalf("no registry entry %q", old)
		}
		if err := b.Delete(old); err != nil {
			return err
		}
		return b.Put(flipped, v)
	}); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	_, err = Crawl(ctx, cfg, CrawlOptions{})
	var ce *config.Error
	if err == nil || errors.As(err, &ce) || !strings.Contains(err.Error(), "registry is damaged") {
		t.Fatalf("crawl over a damaged registry: %v, want an error saying the registry is damaged", err)
	}
}
