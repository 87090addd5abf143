//go:build race

package main

// raceEnabled: the race detector reserves far more address space than a
// program does, so address-space limits do not apply to its builds.
const raceEnabled = true
