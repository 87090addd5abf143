package monitor_test

import (
	"fmt"

	"github.com/parc-archiver/parc/monitor"
	"github.com/parc-archiver/parc/runrecord"
)

// A run after a redesign: most bodies came from the fallback extractor.
func ExampleDrift_Check() {
	rule := monitor.Drift{Threshold: 0.5, MinArticles: 5}
	v := rule.Check(runrecord.Counts{Articles: 12, Fallback: 11, MissingByline: 2})
	fmt.Println(v.Judged, v.Drifted, v.Reason)
	v = rule.Check(runrecord.Counts{Articles: 2, Fallback: 2})
	fmt.Println(v.Judged, v.Drifted)
	// Output:
	// true true fallback 92% > 50%
	// false false
}
