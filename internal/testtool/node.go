package testtool

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// NodeTools returns the folder of the npm packages the export tests read
// parc's output back with (test-tools/readers: warcio, DuckDB), installed
// by `npm ci` there, and the path of node. When node or the installed
// packages are missing, it logs why the check does not run and returns
// false, or fails the test when PARC_REQUIRE_TOOLS is set (CI installs
// them: .ci/run).
func NodeTools(tb testing.TB) (dir, node string, ok bool) {
	tb.Helper()
	_, file, _, _ := runtime.Caller(0)
	dir = filepath.Join(filepath.Dir(file), "..", "..", "test-tools", "readers")
	node, err := exec.LookPath("node")
	if err != nil {
		return "", "", missing(tb, "node not on PATH (Debian package nodejs)")
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "warcio")); err != nil {
		return "", "", missing(tb, "test-tools/readers has no node_modules (run: cd test-tools/readers && npm ci)")
	}
	return dir, node, true
}

func missing(tb testing.TB, why string) bool {
	tb.Helper()
	if os.Getenv("PARC_REQUIRE_TOOLS") != "" {
		tb.Fatalf("%s and PARC_REQUIRE_TOOLS is set", why)
	}
	tb.Logf("%s: this check does not run", why)
	return false
}

// NodeScript runs the script name of test-tools/readers with args and
// returns its standard output; ok is false (the test was told why) when
// the tools are missing here. A failing script fails the test.
func NodeScript(tb testing.TB, name string, args ...string) (out []byte, ok bool) {
	tb.Helper()
	dir, node, ok := NodeTools(tb)
	if !ok {
		return nil, false
	}
	cmd := exec.Command(node, append([]string{filepath.Join(dir, name)}, args...)...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		tb.Fatalf("node %s: %v\n%s", name, err, stderr.String())
	}
	return out, true
}

// DuckResult is one SQL statement's result as duckdb-query.mjs prints
// it: column names with DuckDB's types, and the rows as JSON objects
// (timestamps as text, BIGINT as strings).
type DuckResult struct {
	Columns [][2]string      `json:"columns"`
	Rows    []map[string]any `json:"rows"`
}

// DuckDB runs SQL statements in DuckDB (npm @duckdb/node-api, an
// independent Parquet reader) and returns their results; ok is false
// when the tools are missing here.
func DuckDB(tb testing.TB, sql ...string) (res []DuckResult, ok bool) {
	tb.Helper()
	out, ok := NodeScript(tb, "duckdb-query.mjs", sql...)
	if !ok {
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var r DuckResult
		if err := dec.Decode(&r); err != nil {
			tb.Fatalf("duckdb output: %v\n%s", err, out)
		}
		res = append(res, r)
	}
	return res, true
}
