package main

import (
	"fmt"
	"strings"
)

// politeRest is the sim config's other sections with the benchmark's
// politeness: delay 1s, one request at a time per portal.
func politeRest(rest string) (string, error) {
	for _, r := range []struct{ old, new string }{
		{"  delay: 0s\n", "  delay: 1s\n"},
		{"  parallelism: 4\n", "  parallelism: 1\n"},
	} {
		if !strings.Contains(rest, r.old) {
			return "", fmt.Errorf("sim config lacks %q: the bench needs updating", strings.TrimSpace(r.old))
		}
		rest = strings.Replace(rest, r.old, r.new, 1)
	}
	return rest, nil
}

// portalsConfig is a config.yaml with every entry in one `portals:` list.
func portalsConfig(rest string, entries []portalInfo) string {
	var b strings.Builder
	b.WriteString("# parc bench/portals: simulated portals, one `portals:` entry each\nportals:\n")
	for _, e := range entries {
		lines := strings.Split(strings.TrimRight(e.Section, "\n"), "\n")
		for i, l := range lines {
			if i == 0 {
				b.WriteString("  -" + strings.TrimPrefix(l, " ") + "\n")
				continue
			}
			b.WriteString("  " + l + "\n")
		}
	}
	b.WriteString(rest)
	return b.String()
}

// singleConfig is a config.yaml in the one-portal form (`portal:`).
func singleConfig(rest string, e portalInfo) string {
	return "portal:\n" + e.Section + rest
}
