// Package run is one crawl run and the jobs built on it: it wires the
// crawler (fetching) to extract (one page, one article) to the archive's
// writer (record, capture, frontier step and outbox entries committed
// together), then delivers webhooks from the outbox, judges extraction
// drift, reports to the monitor and stores a typed run record. Watch runs
// Crawl on a schedule and serves the feed, metrics and health on its
// listener; Reextract re-runs extraction over stored captures.
//
// The run package reads the validated config (internal/config) and turns
// it into each package's options; cmd/parc parses flags, calls these
// functions and prints what they return.
//
// # Caveats
//
//   - Crawl opens the archive for writing and holds it until it returns;
//     Watch holds it only while a crawl runs, so readers get in between.
//   - A run interrupted through its context commits what it stored,
//     records itself as failed with the context's error and returns that
//     error; the next run resumes the frontier.
package run
