//go:build !linux

package pagefile

import "os"

// stampOf returns false: the change time is read on Linux only, so
// elsewhere every open walks.
func stampOf(os.FileInfo, Meta) (stamp, bool) { return stamp{}, false }
