// Package monitor turns crawl runs into Prometheus metrics, a health check
// and an extraction drift alarm. It knows nothing of colly or bbolt: the
// caller (cmd/parc) reports each finished run as a Run.
//
// # Model
//
// A Monitor owns its own prometheus.Registry (never the global default
// one), so several monitors coexist in one process and tests. Counters
// (pages fetched, articles by outcome, errors by kind, runs by result)
// accumulate over the Monitor's life: over the whole of `parc watch`, or
// over one run for `parc crawl --metrics-file`. Gauges describe the last
// run (duration, fallback ratio, drift) and the last success.
//
// Handler serves the registry in the Prometheus text format; WriteFile
// writes it atomically for node_exporter's textfile collector.
//
// # Portals
//
// One Monitor serves every portal of a parc process. The metrics of runs
// carry a portal label (all but parc_webhook_pending and
// parc_build_info). Its values are Options.Portals, the names from the
// config, each with every series at 0 from the start; without Portals, the
// one value Options.Portal, else DefaultPortal ("portal", config's default
// name). The first is the default portal: a Run with no Portal, and the
// methods without a portal argument (SetDrift, SetLastSuccess,
// LastSuccess), are about it, so single-portal callers need no change. A
// name the Monitor was not given creates no series of its own: it is
// counted under OtherPortal ("other"), with a warning once per name, so
// the number of series stays bounded whatever callers pass (its gauges
// hold the values of whichever unknown portal reported last).
//
// # Health
//
// Health answers 200 while every portal is healthy: its last successful
// run is at most its max age old (Options.MaxAges, else
// Options.HealthMaxAge, by the injected clock) and no later run of it
// failed to store a page. Otherwise it answers 503, one line per
// unhealthy portal naming it and why; a portal with no success known is
// unhealthy. `?portal=NAME` judges one portal; an unknown name is 404
// with the known names. Runs of unknown portals never affect Health.
//
// # Drift
//
// Drift.Check judges one run's extraction quality. Among the articles a run
// extracted and stored (any outcome), it computes the share extracted by
// fallback (the profile's body selector matched nothing), the share without
// a date and the share without a byline. The run drifts when any share is
// above Threshold. Runs that extracted fewer than MinArticles articles are
// not judged (a single odd page is no evidence of a redesign). A portal
// that never prints bylines should raise Threshold or set IgnoreByline.
// Drift.Unmatched is the verdict on a run that met no article at all
// (the caller decides that: pages fetched, no article page and no link
// matching the profile's article URLs): drifted, whatever MinArticles says.
//
// # Caveats
//
// Metrics written by WriteFile are those of the calling process only; a
// cron job writes one run's counters each time (node_exporter reads the
// file as it is, so rate() over them is meaningless: alert on the gauges
// parc_last_success_timestamp_seconds and parc_profile_drift instead).
package monitor
