package buildinfo

import (
	"runtime/debug"
	"testing"
)

func TestStringNamesCommitTimeAndDirtyTree(t *testing.T) {
	base := Info{Version: "1.2.3", GoVersion: "go1.26.8"}
	cases := []struct {
		settings []debug.BuildSetting
		want     string
	}{
		{nil, "parc 1.2.3 (commit unknown, go1.26.8)"},
		{[]debug.BuildSetting{{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.time", Value: "2026-12-02T09:00:00Z"}, {Key: "vcs.modified", Value: "false"}},
			"parc 1.2.3 (commit 0123456789ab, 2026-12-02T09:00:00Z, go1.26.8)"},
		{[]debug.BuildSetting{{Key: "vcs.revision", Value: "abc"}, {Key: "vcs.modified", Value: "true"}},
			"parc 1.2.3 (commit abc+dirty, go1.26.8)"},
	}
	for _, c := range cases {
		if got := fromSettings(base, c.settings).String(); got != c.want {
			t.Errorf("settings %v: %q, want %q", c.settings, got, c.want)
		}
	}
}
