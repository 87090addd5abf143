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

// TestSmallParcRun: parc's own index and pages answer on a small archive.
func TestSmallParcRun(t *testing.T) {
	var out strings.Builder
	if err := runParc(&out, corpus(300, 19), 1, ""); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "/search?q=hoa+chat&page=500") {
		t.Fatalf("no table:\n%s", out.String())
	}
}
