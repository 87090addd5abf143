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
// writes it atomically for node_exporter's textfile collector. Health
// answers 200 while the last successful run is younger than
// Options.HealthMaxAge (by the injected clock), 503 otherwise, including
// before any success is known.
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
