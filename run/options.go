package run

import (
	"log/slog"
	"time"

	"github.com/parc-archiver/parc/archive"
	"github.com/parc-archiver/parc/crawler"
	"github.com/parc-archiver/parc/extract"
	"github.com/parc-archiver/parc/extract/template"
	"github.com/parc-archiver/parc/internal/buildinfo"
	"github.com/parc-archiver/parc/internal/config"
	"github.com/parc-archiver/parc/monitor"
	"github.com/parc-archiver/parc/notify"
)

// Extractor returns the extractor of cfg's profile with the portal's
// template model m (nil: none); explain records every removal with its
// text (parc extract --explain).
func Extractor(cfg *config.Config, explain bool, m *template.Model) (*extract.Extractor, error) {
	return extract.New(extract.Options{
		Profile:  cfg.Portal.Selectors.Profile(),
		Location: cfg.Portal.Location(),
		Explain:  explain,
		Template: m,
	})
}

// crawlerOptions are cfg's crawl settings as the crawler takes them.
func crawlerOptions(cfg *config.Config, log *slog.Logger) crawler.Options {
	cr := cfg.Crawl
	def := crawler.DefaultOptions() // for what has no key: BackoffMax and the slow-down cap
	return crawler.Options{
		StartURLs:        cfg.Portal.StartURLs,
		AllowedDomains:   cfg.Portal.AllowedDomains,
		ArticleURL:       cfg.Portal.ArticleRE(),
		ListingURL:       cfg.Portal.ListingRE(),
		UserAgent:        cr.UserAgent,
		Delay:            cr.Delay.D(),
		Parallelism:      cr.Parallelism,
		Timeout:          cr.Timeout.D(),
		Retries:          cr.Retries,
		MaxRedirects:     cr.MaxRedirects,
		RespectRobots:    cr.RespectRobots,
		MaxPages:         cr.MaxPages,
		MaxBodyBytes:     cr.MaxBodyBytes,
		MaxLinksPerPage:  cr.MaxLinksPerPage,
		MaxNewURLsPerRun: cr.MaxNewURLsPerRun,
		MaxCrawlDelay:    cr.MaxCrawlDelay.D(),
		BackoffBase:      cr.Backoff.D(),
		BackoffMax:       def.BackoffMax,
		SlowdownStep:     max(cr.Backoff.D()/4, time.Millisecond), // the slow-down follows crawl.backoff
		SlowdownMax:      def.SlowdownMax,
		Logger:           log,
	}
}

// Notifier returns the webhook notifier of cfg (disabled without webhooks).
func Notifier(cfg *config.Config, log *slog.Logger) *notify.Notifier {
	hooks := make([]notify.Webhook, len(cfg.Notify.Webhooks))
	for i, w := range cfg.Notify.Webhooks {
		hooks[i] = notify.Webhook{URL: w.URL, Secret: w.Secret}
	}
	return notify.New(notify.Options{Webhooks: hooks, UserAgent: cfg.Crawl.UserAgent, Logger: log})
}

// Monitor returns a monitor with cfg's health rule, its metrics labelled
// with cfg's portal.
func Monitor(cfg *config.Config, log *slog.Logger) *monitor.Monitor {
	o := monitor.Options{HealthMaxAge: cfg.HealthMaxAge(), Logger: log, Build: buildinfo.Read(config.Version)}
	for _, v := range cfg.PortalConfigs() {
		o.Portals = append(o.Portals, v.Portal.Name)
		// Each portal's own crawl.every makes its own health age.
		o.MaxAges = append(o.MaxAges, monitor.PortalMaxAge{Portal: v.Portal.Name, MaxAge: v.HealthMaxAge()})
	}
	return monitor.New(o)
}

// OpenOptions are how the crawl commands open cfg's archive for writing.
func OpenOptions(cfg *config.Config, log *slog.Logger) archive.Options {
	return archive.Options{KeepRaw: cfg.Archive.KeepRaw.Articles(), Portal: cfg.Portal.Name, Logger: log}
}
