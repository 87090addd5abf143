package run

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"time"

	"github.com/parc-archiver/parc/archive"
	"github.com/parc-archiver/parc/internal/config"
	"github.com/parc-archiver/parc/runrecord"
)

// metaUnstoredRepaired is the archive meta key set once a crawl walked
// every listing to queue again the pages that runs of parc before 0.5
// marked done although they could not store them.
const metaUnstoredRepaired = "unstored_repaired"

// needsRepair reports whether earlier runs marked pages done that they
// could not store (parc before 0.5), and no crawl repaired that yet: their
// run records count store errors in "failed" but not in "failures", or the
// seen-set holds article pages (by articles, when not nil) with neither a
// record nor a failure. An archive found sound is marked checked, so the
// seen-set is read once.
func needsRepair(ctx context.Context, arc *archive.Archive, articles func(string) bool) (bool, error) {
	if v, err := arc.GetMeta(metaUnstoredRepaired); err != nil || len(v) > 0 {
		return false, err
	}
	runs, err := arc.Runs(ctx)
	if err != nil {
		return false, err
	}
	for _, raw := range runs {
		if lostStores(raw) {
			return true, nil
		}
	}
	if articles != nil {
		n, _, err := arc.Unrecorded(ctx, articles, 0)
		if err != nil || n > 0 {
			return n > 0, err
		}
	}
	return false, arc.SetMeta(metaUnstoredRepaired, []byte("checked "+time.Now().UTC().Format(time.RFC3339)))
}

// lostStores reports whether the run record raw shows pages not stored
// and counted only in "failed" (parc before 0.5).
func lostStores(raw []byte) bool {
	var r runrecord.Run
	if json.Unmarshal(raw, &r) != nil {
		return false // verify reports it
	}
	kinds := 0
	for _, n := range r.Failures {
		kinds += n
	}
	return r.Failed > kinds
}

// finishRepair records that run walked every listing after an earlier run
// lost pages, and forgets what older runs marked done without a record:
// the walk queued again every such page the portal still links.
func finishRepair(ctx context.Context, arc *archive.Archive, run uint64) (int, error) {
	n, err := arc.ForgetUnrecorded(ctx, run)
	if err != nil {
		return 0, err
	}
	if err := arc.SetMeta(metaUnstoredRepaired, []byte(time.Now().UTC().Format(time.RFC3339))); err != nil {
		return 0, fmt.Errorf("record repair: %w", err)
	}
	return n, nil
}

// ArticleKeys matches the frontier keys (canon.Key: host and path, no
// scheme, "www." dropped, an IIS path in lower case) of the URLs cfg's
// portal.article_url matches, ignoring case as the key lost it; nil when
// article_url is not set.
func ArticleKeys(cfg *config.Config) (func(key string) bool, error) {
	if cfg.Portal.ArticleURL == "" {
		return nil, nil
	}
	re, err := regexp.Compile("(?i)" + cfg.Portal.ArticleURL)
	if err != nil {
		return nil, fmt.Errorf("portal.article_url: %w", err)
	}
	return func(key string) bool {
		return re.MatchString("https://"+key) || re.MatchString("http://"+key) || re.MatchString("https://www."+key)
	}, nil
}
