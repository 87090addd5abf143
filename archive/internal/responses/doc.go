// Package responses stores the raw captures of the responses that are no
// article page (archive.keep_raw: all): listings, the home page, redirect
// hops, error pages. A response identical to the last one kept for its
// URL (same status, same payload digest) is not stored again, so
// re-reading unchanged listings does not grow the archive run after run.
// It owns two buckets; the archive encodes and decodes the captures.
package responses
