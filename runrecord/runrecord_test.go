package runrecord

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/parc-archiver/parc/failure"
)

// A run record encodes to the bytes parc 0.4 stored for the same run
// (it built them as a map[string]any, whose keys JSON sorts).
func TestSameBytesAsParc04(t *testing.T) {
	r := Run{
		Finished: Time{time.Date(2026, 12, 2, 3, 56, 6, 789, time.FixedZone("ICT", 7*3600))},
		Pages:    461, New: 400, Updated: 1, Unchanged: 31, Duplicates: 2, Failed: 3,
		Failures: map[failure.Kind]int{failure.HTTP5xx: 2, failure.Timeout: 1},
		Retried:  map[failure.Kind]int{},
		Robots:   1, Fallbacks: 4, Gone: 0, Seconds: 0.512,
		Extraction: Counts{Articles: 401, Fallback: 4, MissingDate: 0, MissingByline: 7},
		Drift:      "fallback 60% > 50%", Error: "portal unreachable",
	}
	old := map[string]any{
		"finished": "2026-12-01T20:56:06Z", "pages": 461, "new": 400, "updated": 1,
		"unchanged": 31, "duplicates": 2, "failed": 3,
		"failures": map[string]int{"http-5xx": 2, "timeout": 1}, "retried": map[string]int{}, "robots": 1, "fallbacks": 4, "gone": 0, "seconds": 0.512,
		"extraction": Counts{Articles: 401, Fallback: 4, MissingByline: 7},
		"drift":      "fallback 60% > 50%", "error": "portal unreachable",
	}
	got, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	want, err := json.Marshal(old)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	// Without drift and error, as a completed run stored it.
	r.Drift, r.Error = "", ""
	delete(old, "drift")
	delete(old, "error")
	got, _ = json.Marshal(r)
	want, _ = json.Marshal(old)
	if string(got) != string(want) {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	back, err := Parse(got)
	if err != nil || !back.Finished.Equal(r.Finished.Truncate(time.Second)) || back.Failures[failure.HTTP5xx] != 2 || !back.OK() {
		t.Fatalf("Parse: %+v, %v", back, err)
	}
}

func TestParseErrors(t *testing.T) {
	for _, raw := range []string{`{`, `{"finished":"yesterday"}`, `{"finished":3}`, `[]`} {
		if _, err := Parse([]byte(raw)); err == nil {
			t.Errorf("Parse(%s) succeeded", raw)
		}
	}
}

func TestCounts(t *testing.T) {
	var c Counts
	if c.FallbackRatio() != 0 {
		t.Error("ratio of nothing")
	}
	c.Add(Counts{Articles: 4, Fallback: 1, MissingDate: 2, MissingByline: 3})
	c.Add(Counts{Articles: 4, Fallback: 1})
	if c != (Counts{Articles: 8, Fallback: 2, MissingDate: 2, MissingByline: 3}) || c.FallbackRatio() != 0.25 {
		t.Errorf("%+v %v", c, c.FallbackRatio())
	}
}

// The links a run did not queue for its limits are kept under their keys,
// and left out when 0 (the bytes of TestSameBytesAsParc04).
func TestLimitCountsRoundTrip(t *testing.T) {
	r := Run{LinksOverPageLimit: 3, URLsOverRunLimit: 4, LongURLs: 5}
	raw, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"links_over_page_limit":3,"long_urls":5,`, `"updated":0,"urls_over_run_limit":4}`} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("%s lacks %s", raw, want)
		}
	}
	back, err := Parse(raw)
	if err != nil || back.LinksOverPageLimit != 3 || back.URLsOverRunLimit != 4 {
		t.Errorf("Parse: %+v, %v", back, err)
	}
}

// A run names its portal (after "pages", in key order); a record without
// one, as parc before 0.5 stored, reads with none.
func TestPortal(t *testing.T) {
	b, err := json.Marshal(Run{Portal: "vinachem", Pages: 3})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"pages":3,"portal":"vinachem","retried"`) {
		t.Errorf("encoded %s", b)
	}
	r, err := Parse(b)
	if err != nil || r.Portal != "vinachem" {
		t.Errorf("parsed %+v %v", r, err)
	}
	if r, err := Parse([]byte(`{"pages":1}`)); err != nil || r.Portal != "" {
		t.Errorf("old record: %+v %v", r, err)
	}
}
