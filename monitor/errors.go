package monitor

import "errors"

// ErrNoPath is returned by WriteFile when given an empty path.
var ErrNoPath = errors.New("no metrics file path")
