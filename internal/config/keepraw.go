package config

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// RawMode is archive.keep_raw: which responses are kept as raw captures.
type RawMode uint8

// The values of archive.keep_raw.
const (
	RawNone     RawMode = iota // false: none
	RawArticles                // true: article responses (the default)
	RawAll                     // all: every response (listings, the home page, redirects, error pages)
)

// Articles reports whether article responses are kept (true and all).
func (m RawMode) Articles() bool { return m != RawNone }

// All reports whether every response is kept.
func (m RawMode) All() bool { return m == RawAll }

// String is the value as config.yaml writes it.
func (m RawMode) String() string {
	switch m {
	case RawNone:
		return "false"
	case RawAll:
		return "all"
	}
	return "true"
}

// UnmarshalYAML reads false, true or all (the booleans as YAML writes
// them, as before).
func (m *RawMode) UnmarshalYAML(n *yaml.Node) error {
	switch strings.ToLower(strings.TrimSpace(n.Value)) {
	case "false", "no", "off":
		*m = RawNone
	case "true", "yes", "on":
		*m = RawArticles
	case "all":
		*m = RawAll
	default:
		return &Error{Line: n.Line, Msg: fmt.Sprintf("keep_raw %q: want false, true or all", n.Value)}
	}
	return nil
}
