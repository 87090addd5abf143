package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/parc-archiver/parc/archive"
	"github.com/parc-archiver/parc/export"
	"github.com/parc-archiver/parc/internal/testtool"
	"github.com/parc-archiver/parc/record"
	"github.com/parc-archiver/parc/sim"
)

// warcMembers is the uncompressed bytes of a .warc.gz's records, one gzip
// member each.
func warcMembers(t *testing.T, data []byte) []string {
	t.Helper()
	var out []string
	for _, m := range testtool.GzipMembers(t, data) {
		out = append(out, string(m.Data))
	}
	return out
}

// withoutLine drops the header line that starts with name (a request
// record's random WARC-Record-ID, the warcinfo's id and date).
func withoutLine(rec, name string) string {
	var b strings.Builder
	for l := range strings.SplitSeq(rec, "\r\n") {
		if !strings.HasPrefix(l, name+": ") {
			b.WriteString(l + "\r\n")
		}
	}
	return b.String()
}

// The WARC records the archive stored with each capture, which an export
// copies, are the records the export builds from the decoded capture
// (what it does for captures stored before parc 0.5): byte for byte, but
// for the request records' random ids; with keep_raw: all, the other
// responses' too.
func TestStoredWARCRecordsAreWhatTheExportBuilds(t *testing.T) {
	p := newPortal(t, sim.Options{Articles: 12, Seed: 5}, func(cfg string) string {
		return strings.Replace(cfg, "keep_raw: true", "keep_raw: all", 1)
	})
	p.crawl(t)
	arc, err := archive.Open(p.db, archive.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer arc.Close()
	ctx := context.Background()
	var stored, built bytes.Buffer
	nStored, err := export.WARC(ctx, &stored, func(ctx context.Context, fn func(*record.Capture, string, string) error) error {
		return arc.Captures(ctx, archive.Filter{WARCRecords: true}, fn)
	}, export.Options{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	nBuilt, err := export.WARC(ctx, &built, func(ctx context.Context, fn func(*record.Capture, string, string) error) error {
		return arc.Captures(ctx, archive.Filter{}, fn)
	}, export.Options{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if nStored != nBuilt || nStored < 20 {
		t.Fatalf("%d captures stored, %d built; want the same, above the 12 articles", nStored, nBuilt)
	}
	a, b := warcMembers(t, stored.Bytes()), warcMembers(t, built.Bytes())
	if len(a) != len(b) || len(a) != 1+2*nStored {
		t.Fatalf("%d and %d records for %d captures", len(a), len(b), nStored)
	}
	for i := 1; i < len(a); i++ {
		x, y := a[i], b[i]
		if strings.HasPrefix(x, "WARC/1.1\r\nWARC-Type: request\r\n") {
			x, y = withoutLine(x, "WARC-Record-ID"), withoutLine(y, "WARC-Record-ID")
		}
		if x != y {
			t.Errorf("record %d: stored\n%.600s\nbuilt\n%.600s", i, x, y)
		}
	}
	if !strings.Contains(a[0], "software: parc/test") {
		t.Errorf("warcinfo %q", a[0])
	}
	// parc stats counts both kinds of capture the WARC holds.
	out, stderr, code := parc(t, "stats", "--json", "--config", p.config, "--archive", p.db)
	var st struct{ Captures, Responses int }
	if err := json.Unmarshal([]byte(out), &st); code != 0 || err != nil {
		t.Fatalf("stats --json: exit %d, %v\n%s", code, err, stderr)
	}
	if st.Responses == 0 || st.Captures+st.Responses != nStored {
		t.Errorf("stats: %d article captures + %d other responses, the WARC holds %d", st.Captures, st.Responses, nStored)
	}
	if out, _, _ := parc(t, "stats", "--config", p.config, "--archive", p.db); !strings.Contains(out, fmt.Sprintf("%d (other responses", st.Responses)) {
		t.Errorf("stats text does not count the other responses:\n%s", out)
	}
}
