// Package runrecord is the typed record of one crawl run: what it
// fetched, stored and failed, how its extraction went and whether it
// failed. The crawl run writes one at its end; the archive keeps the last
// hundred of each portal as bytes it does not interpret but for the
// portal's name; `parc stats`, /healthz and the
// metrics read them back with Parse. It imports nothing of parc but the
// failure kinds.
package runrecord

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/parc-archiver/parc/failure"
)

// Run is one finished crawl run. Its JSON keys are in alphabetical order,
// which is the order of the records parc 0.4 and earlier stored (as a
// map), so that the stored bytes and `parc stats --json` are unchanged.
type Run struct {
	// Drift names the extraction shares above the drift threshold;
	// empty when the run did not drift.
	Drift string `json:"drift,omitempty"`
	// Duplicates are pages whose content was already archived under
	// another URL (aliases).
	Duplicates int `json:"duplicates"`
	// Error says why the run failed; empty for a run that completed.
	Error string `json:"error,omitempty"`
	// Extraction counts the run's stored articles for the drift alarm.
	Extraction Counts `json:"extraction"`
	// Failed counts the pages that failed after their retries, and the
	// pages that could not be stored.
	Failed int `json:"failed"`
	// Failures counts the failed pages by kind (store failures are in
	// Failed only).
	Failures map[failure.Kind]int `json:"failures"`
	// Fallbacks counts new and revised articles extracted without the
	// profile's selectors.
	Fallbacks int `json:"fallbacks"`
	// Finished is when the run ended.
	Finished Time `json:"finished"`
	// Gone counts archived articles found removed (404, 410, redirected home).
	Gone int `json:"gone"`
	// LinksOverPageLimit counts the links of pages beyond
	// crawl.max_links_per_page, not queued.
	LinksOverPageLimit int `json:"links_over_page_limit,omitempty"`
	// PagesCut counts pages read only up to their first 100 000 tags.
	PagesCut int `json:"pages_cut,omitempty"`
	// LongURLs counts links dropped for being longer than 8 KB.
	LongURLs int `json:"long_urls,omitempty"`
	// New, Updated and Unchanged count stored articles by outcome
	// (Unchanged includes 304 answers).
	New int `json:"new"`
	// Pages counts the responses received.
	Pages int `json:"pages"`
	// Portal names the portal crawled; empty in the records of parc
	// before 0.5, which had one portal. The archive keeps the last
	// hundred records of each portal.
	Portal string `json:"portal,omitempty"`
	// Retried counts failed attempts that were retried, by kind.
	Retried map[failure.Kind]int `json:"retried"`
	// Recovered counts, by kind, the retried attempts of pages a later
	// attempt fetched.
	Recovered map[failure.Kind]int `json:"recovered,omitempty"`
	// Robots counts URLs robots.txt disallowed.
	Robots int `json:"robots"`
	// Seconds is how long the crawl took.
	Seconds float64 `json:"seconds"`
	// TemplateModel is the version of the portal's template model the
	// run extracted with; 0: none.
	TemplateModel int `json:"template_model,omitempty"`
	Unchanged     int `json:"unchanged"`
	Updated       int `json:"updated"`
	// URLsOverRunLimit counts links to URLs not queued because the run had
	// queued crawl.max_new_urls_per_run (once per page linking one).
	URLsOverRunLimit int `json:"urls_over_run_limit,omitempty"`
}

// OK reports whether the run completed.
func (r Run) OK() bool { return r.Error == "" }

// Parse decodes a stored run record.
func Parse(raw []byte) (Run, error) {
	var r Run
	if err := json.Unmarshal(raw, &r); err != nil {
		return Run{}, fmt.Errorf("run record: %w", err)
	}
	return r, nil
}

// Counts are what one run's extraction produced: the articles extracted
// and stored (any outcome), and how many of them came from the fallback
// extractor, had no date or had no byline.
type Counts struct {
	Articles      int `json:"articles"`
	Fallback      int `json:"fallback"`
	MissingDate   int `json:"missing_date"`
	MissingByline int `json:"missing_byline"`
}

// FallbackRatio is Fallback/Articles, 0 when no article was extracted.
func (c Counts) FallbackRatio() float64 {
	if c.Articles == 0 {
		return 0
	}
	return float64(c.Fallback) / float64(c.Articles)
}

// Add adds another run's (or page's) counts.
func (c *Counts) Add(o Counts) {
	c.Articles += o.Articles
	c.Fallback += o.Fallback
	c.MissingDate += o.MissingDate
	c.MissingByline += o.MissingByline
}

// Time is an instant written as RFC 3339 in UTC to the second, as run
// records always stored it.
type Time struct{ time.Time }

// MarshalJSON writes t as "2006-01-02T15:04:05Z".
func (t Time) MarshalJSON() ([]byte, error) {
	return json.Marshal(t.UTC().Format(time.RFC3339))
}

// UnmarshalJSON reads any RFC 3339 time.
func (t *Time) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return err
	}
	t.Time = v
	return nil
}
