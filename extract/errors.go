package extract

import (
	"errors"
	"fmt"
)

// ErrNoArticle is returned when a page yields no title or no body.
var ErrNoArticle = errors.New("no article found")

// SelectorError reports a profile selector that does not compile.
type SelectorError struct {
	Field    string // profile field, e.g. "body" or "remove[2]"
	Selector string
	Err      error
}

func (e *SelectorError) Error() string {
	return fmt.Sprintf("selector %s %q: %v", e.Field, e.Selector, e.Err)
}

func (e *SelectorError) Unwrap() error { return e.Err }
