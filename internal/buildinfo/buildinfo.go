// Package buildinfo says which build of parc is running: its version and,
// when the Go toolchain recorded them (a build inside a git checkout), the
// commit, its time and whether the tree had uncommitted changes.
package buildinfo

import (
	"runtime"
	"runtime/debug"
	"strings"
)

// Info describes one build.
type Info struct {
	Version   string // parc's release version
	Commit    string // VCS revision; "" when not recorded
	Time      string // the commit's time (RFC 3339); "" when not recorded
	Modified  bool   // the tree had changes not in Commit
	GoVersion string
}

// Read returns the running binary's build info with version as its release.
func Read(version string) Info {
	info := Info{Version: version, GoVersion: runtime.Version()}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return info
	}
	return fromSettings(info, bi.Settings)
}

func fromSettings(info Info, settings []debug.BuildSetting) Info {
	for _, s := range settings {
		switch s.Key {
		case "vcs.revision":
			info.Commit = s.Value
		case "vcs.time":
			info.Time = s.Value
		case "vcs.modified":
			info.Modified = s.Value == "true"
		}
	}
	return info
}

// ShortCommit is the commit's first 12 hex digits, with "+dirty" when the
// tree had changes, or "unknown".
func (i Info) ShortCommit() string {
	if i.Commit == "" {
		return "unknown"
	}
	c := i.Commit
	if len(c) > 12 {
		c = c[:12]
	}
	if i.Modified {
		c += "+dirty"
	}
	return c
}

// String is the --version line: "parc 0.4.0 (commit 3f2a9c0d1e5b, 2026-12-02T09:00:00Z, go1.26.8)".
func (i Info) String() string {
	parts := []string{"commit " + i.ShortCommit()}
	if i.Time != "" {
		parts = append(parts, i.Time)
	}
	parts = append(parts, i.GoVersion)
	return "parc " + i.Version + " (" + strings.Join(parts, ", ") + ")"
}
