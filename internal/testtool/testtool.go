// Package testtool finds the external programs that tests read parc's
// output back with (python3, promtool). A missing program makes those
// checks skip on a developer's machine, but fails the test where
// PARC_REQUIRE_TOOLS is set: CI installs them, and a check that skips
// there silently would prove nothing.
package testtool

import (
	"os"
	"os/exec"
	"testing"
)

// Find returns the path of program name. When it is not on PATH, Find logs
// why the check does not run and returns false, or fails the test when
// PARC_REQUIRE_TOOLS is set.
func Find(tb testing.TB, name, pkg string) (string, bool) {
	tb.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path, true
	}
	if os.Getenv("PARC_REQUIRE_TOOLS") != "" {
		tb.Fatalf("%s not on PATH (Debian package %s) and PARC_REQUIRE_TOOLS is set", name, pkg)
	}
	tb.Logf("%s not on PATH (Debian package %s): this check does not run", name, pkg)
	return "", false
}
