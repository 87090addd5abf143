//go:build !unix

package atomicfile

import "os"

// noFollow is not needed where nothing is removed.
const noFollow = 0

// lock does nothing where flock is missing.
func lock(*os.File) error { return nil }

// tryLock reports every file held where flock is missing: nothing is
// cleaned up.
func tryLock(*os.File) (bool, error) { return false, nil }
