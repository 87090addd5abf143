package main

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// The systemd units under dist/systemd are the ones docs/OPERATIONS.md
// shows: a user who copies either gets the same unit.
func TestShippedSystemdUnitsMatchOperationsDoc(t *testing.T) {
	root := filepath.Join("..", "..")
	doc, err := os.ReadFile(filepath.Join(root, "docs", "OPERATIONS.md"))
	if err != nil {
		t.Fatal(err)
	}
	shown := regexp.MustCompile("(?s)`dist/systemd/([^`]+)`:\n\n```ini\n(.*?)```").FindAllSubmatch(doc, -1)
	shipped, err := filepath.Glob(filepath.Join(root, "dist", "systemd", "*"))
	if err != nil {
		t.Fatal(err)
	}
	if len(shown) == 0 || len(shown) != len(shipped) {
		t.Fatalf("docs/OPERATIONS.md shows %d units, dist/systemd holds %d", len(shown), len(shipped))
	}
	for _, m := range shown {
		name, text := string(m[1]), string(m[2])
		file, err := os.ReadFile(filepath.Join(root, "dist", "systemd", name))
		if err != nil {
			t.Errorf("docs/OPERATIONS.md shows %s: %v", name, err)
			continue
		}
		if string(file) != text {
			t.Errorf("dist/systemd/%s differs from the unit docs/OPERATIONS.md shows", name)
		}
	}
}
