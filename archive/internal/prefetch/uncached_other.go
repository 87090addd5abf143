//go:build !linux

package prefetch

import "os"

// uncached returns runs: without mincore, every run is read.
func uncached(_ *os.File, _, _ int64, runs []pageRun) []pageRun { return runs }
