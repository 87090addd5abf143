package archive

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/parc-archiver/parc/frontier"
)

// Pages a crawl reported done without storing them (parc before 0.5) are
// found, and forgotten once a later run walked every listing; pages with a
// record or a failure are neither, nor pages skipped (an article URL that
// redirects to another site, robots.txt), which no crawl fetches.
func TestUnrecordedAndForget(t *testing.T) {
	ctx := context.Background()
	a, _ := openTest(t, Options{NoSync: true})
	stored, lost, failed := "https://vinachem.com.vn/nd/a/1.html", "https://vinachem.com.vn/nd/a/2.html", "https://vinachem.com.vn/nd/a/3.html"
	skipped := "https://vinachem.com.vn/nd/a/4.html"
	if _, err := a.Put(ctx, page(stored, article("Một", "Bài một."), time.Now())); err != nil {
		t.Fatal(err)
	}
	f, err := a.Frontier(ctx, FrontierOptions{Refresh: true, Portal: "vinachem"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Add(ctx, items(frontier.KindArticle, lost, failed, skipped), math.MaxInt); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		it, ok, err := f.Next(ctx)
		if err != nil || !ok {
			t.Fatalf("next: %v %v", ok, err)
		}
		st := frontier.StatusDone
		switch it.URL {
		case failed:
			st = frontier.StatusFailed
		case skipped:
			st = frontier.StatusSkip
		}
		if err := f.Done(ctx, it, st); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Finish(ctx); err != nil {
		t.Fatal(err)
	}
	all := func(string) bool { return true }
	n, keys, err := a.Unrecorded(ctx, all, 10)
	if err != nil || n != 1 || len(keys) != 1 || keys[0] != "vinachem.com.vn/nd/a/2.html" {
		t.Fatalf("unrecorded %d %v %v, want the lost page only", n, keys, err)
	}
	if removed, err := a.ForgetUnrecorded(ctx, f.Run()); err != nil || removed != 0 {
		t.Fatalf("forget before run %d removed %d (%v): nothing is older", f.Run(), removed, err)
	}
	if removed, err := a.ForgetUnrecorded(ctx, f.Run()+1); err != nil || removed != 1 {
		t.Fatalf("forget removed %d (%v), want 1 (the lost page, not the skipped one)", removed, err)
	}
	if n, _, _ := a.Unrecorded(ctx, all, 10); n != 0 {
		t.Errorf("%d unrecorded after forgetting", n)
	}
}
