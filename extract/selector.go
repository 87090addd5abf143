package extract

import (
	"github.com/andybalholm/cascadia"
)

// selector is a compiled CSS selector group (cascadia): Match, MatchFirst
// and MatchAll in document order.
type selector struct{ cascadia.Selector }

// compileSelector compiles a selector group; the error is cascadia's.
func compileSelector(s string) (*selector, error) {
	sel, err := cascadia.Compile(s)
	if err != nil {
		return nil, err
	}
	return &selector{sel}, nil
}

// mustSelector compiles one of parc's built-in selectors.
func mustSelector(s string) *selector {
	sel, err := compileSelector(s)
	if err != nil {
		panic("extract: built-in selector " + s + ": " + err.Error())
	}
	return sel
}
