package monitor

import (
	"fmt"

	"github.com/parc-archiver/parc/runrecord"
)

// Drift is the extraction drift rule (see the package documentation).
type Drift struct {
	// Threshold is the share (0..1) of a run's articles that may come from
	// fallback extraction, or lack a date, or lack a byline, before the
	// run counts as drifted; 0 means 0.5.
	Threshold float64
	// MinArticles is the fewest extracted articles a run needs to be
	// judged; 0 means 5.
	MinArticles int
	// IgnoreByline leaves missing bylines out (portals that rarely print one).
	IgnoreByline bool
	// IgnoreFallback leaves the fallback share out: a profile with no body
	// selector extracts every article by fallback, which says nothing
	// about a changed layout.
	IgnoreFallback bool
}

// Verdict is the outcome of Drift.Check.
type Verdict struct {
	// Judged is false when the run had too few articles to decide.
	Judged bool `json:"judged"`
	// Drifted is true when some share is above the threshold.
	Drifted bool `json:"drifted"`
	// Shares of the run's articles: fallback, missing_date, missing_byline.
	Fallback      float64          `json:"fallback_share"`
	MissingDate   float64          `json:"missing_date_share"`
	MissingByline float64          `json:"missing_byline_share"`
	Threshold     float64          `json:"threshold"`
	Counts        runrecord.Counts `json:"counts"`
	// Reason names the shares above the threshold, e.g.
	// "fallback 100% > 50%"; empty when not drifted.
	Reason string `json:"reason,omitempty"`
}

// DefaultDrift is the drift rule config.yaml documents: more than half of
// a run's articles, judged from 5 articles.
func DefaultDrift() Drift { return Drift{Threshold: 0.5, MinArticles: 5} }

func (d Drift) norm() Drift {
	def := DefaultDrift()
	if d.Threshold <= 0 {
		d.Threshold = def.Threshold
	}
	if d.MinArticles <= 0 {
		d.MinArticles = def.MinArticles
	}
	return d
}

// Unmatched is the verdict on a run that fetched pages (pages of them)
// but matched no article: none was handed to extraction and no link on
// its listings matched the profile's article URLs. Such a run has
// drifted whatever MinArticles says: the profile (portal.article_url)
// no longer fits the portal, or was never set, and nothing is archived.
func (d Drift) Unmatched(c runrecord.Counts, pages int) Verdict {
	d = d.norm()
	return Verdict{Judged: true, Drifted: true, Threshold: d.Threshold, Counts: c,
		Reason: fmt.Sprintf("no article matched in %d pages fetched", pages)}
}

// Check judges one run's counts.
func (d Drift) Check(c runrecord.Counts) Verdict {
	d = d.norm()
	v := Verdict{Threshold: d.Threshold, Counts: c}
	if c.Articles < d.MinArticles {
		return v
	}
	v.Judged = true
	n := float64(c.Articles)
	v.Fallback = float64(c.Fallback) / n
	v.MissingDate = float64(c.MissingDate) / n
	v.MissingByline = float64(c.MissingByline) / n
	check := func(name string, share float64) {
		if share > d.Threshold {
			v.Drifted = true
			if v.Reason != "" {
				v.Reason += ", "
			}
			v.Reason += fmt.Sprintf("%s %.0f%% > %.0f%%", name, 100*share, 100*d.Threshold)
		}
	}
	if !d.IgnoreFallback {
		check("fallback", v.Fallback)
	}
	check("missing date", v.MissingDate)
	if !d.IgnoreByline {
		check("missing byline", v.MissingByline)
	}
	return v
}
