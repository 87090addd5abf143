package main

import (
	"strings"
	"testing"
)

// TestSmallRun: both engines index a few articles and agree on every
// query's matches (run checks it), with and without diacritics alike.
func TestSmallRun(t *testing.T) {
	var out strings.Builder
	if err := run(&out, 600, 200, 1); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "| hoa chat |") {
		t.Fatalf("no table:\n%s", out.String())
	}
}
