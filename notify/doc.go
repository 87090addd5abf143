// Package notify announces archive events to webhooks: new articles,
// revisions, extraction drift and failed runs.
//
// # Wire format
//
// Each event is POSTed as JSON to every configured webhook:
//
//	{"id": "article.new:1a2b3c4d5e6f7a8b:1", "event": "article.new",
//	 "time": "2026-11-27T06:40:00Z", "portal": "vinachem", "article": RECORD}
//
// event is article.new, article.revised (article is the export record),
// profile_drift or crawl.failed (stats carries the run's statistics, drift
// the drift verdict, error why the run failed). id identifies the event:
// it is the same on every attempt and every webhook, so a receiver
// deduplicates on it (also sent as the X-Parc-Event-Id header; the event
// type is in X-Parc-Event). The header
//
//	X-Parc-Signature: sha256=<lower-case hex HMAC-SHA256(secret, raw body)>
//
// signs the exact body bytes with the webhook's secret (no header when the
// secret is empty). Any 2xx answer counts as delivered.
//
// # Delivery
//
// Events are not sent directly: Build turns an event into one Entry per
// webhook, which the caller stores in the archive's outbox (Entry.Encode
// is an archive.OutboxItem's encoder; the article's entries are queued in
// the same transaction as the article, see archive.WriterOptions.Outbox).
// Deliver then sends what is due from an Outbox (StoredOutbox over the
// archive), retrying
// each entry a few times with exponential backoff (through the injected
// Sleep), and records the outcome in the outbox: delivered entries are
// removed, failed ones keep their attempt count and the time of their next
// try, so a later run (or a restarted process) resumes them. Delivery is
// at least once: a crash between a 2xx answer and its commit sends that
// entry again on the next run, with the same id.
//
// # Caveats
//
// Deliver never gives up on an entry while its webhook stays configured;
// an entry whose target was removed from the configuration is dropped
// with a warning. Bodies are built when the event is queued: changing a
// secret affects pending entries, changing a URL orphans them.
package notify
