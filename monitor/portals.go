package monitor

import (
	"time"
)

// DefaultPortal is the portal label of a Monitor given no portal name
// (Options.Portals and Options.Portal empty): the name config gives a
// portal without one.
const DefaultPortal = "portal"

// OtherPortal is the portal label under which a Monitor counts what it is
// told about a portal it was not given in Options.Portals: label values
// come from the config only, so the number of series stays bounded.
const OtherPortal = "other"

// PortalMaxAge overrides Options.HealthMaxAge for one portal (e.g. one
// crawled daily among portals crawled every ten minutes).
type PortalMaxAge struct {
	Portal string
	MaxAge time.Duration
}

// portalState is what Health knows of one configured portal.
type portalState struct {
	name   string
	maxAge time.Duration
	// success is the last successful run; zero when unknown.
	success time.Time
	// notStored is how many pages the portal's last run that stored or
	// failed to store could not store: while it is not 0, the portal is
	// unhealthy.
	notStored int
}

// portalNames is the Monitor's list of label values, in the config's
// order, without duplicates or empty names: Options.Portals, else
// Options.Portal, else DefaultPortal.
func portalNames(opts Options) []string {
	var names []string
	seen := map[string]bool{}
	for _, p := range opts.Portals {
		if p != "" && !seen[p] {
			seen[p] = true
			names = append(names, p)
		}
	}
	if len(names) > 0 {
		return names
	}
	if opts.Portal != "" {
		return []string{opts.Portal}
	}
	return []string{DefaultPortal}
}

// newPortalStates builds each portal's health state with its max age.
func (m *Monitor) newPortalStates() {
	m.portals = make(map[string]*portalState, len(m.names))
	for _, name := range m.names {
		m.portals[name] = &portalState{name: name, maxAge: m.opts.HealthMaxAge}
	}
	for _, o := range m.opts.MaxAges {
		p := m.portals[o.Portal]
		switch {
		case p == nil:
			m.log.Warn("health max age for a portal the monitor does not know; ignored", "portal", o.Portal, "known", m.names)
		case o.MaxAge > 0:
			p.maxAge = o.MaxAge
		}
	}
	if m.portals[OtherPortal] != nil {
		m.log.Warn(`a portal is named "other": runs of unknown portals are counted with it`, "portal", OtherPortal)
	}
}

// defaultPortal is the portal of a Run or call that names none.
func (m *Monitor) defaultPortal() string { return m.names[0] }

// label is the portal label value for name: the default portal when name
// is empty, name when the Monitor knows it, else OtherPortal (with a
// warning, once per unknown name).
func (m *Monitor) label(name string) string {
	if name == "" {
		return m.defaultPortal()
	}
	if m.portals[name] != nil {
		return name
	}
	m.mu.Lock()
	warned := m.unknown[name]
	m.unknown[name] = true
	m.mu.Unlock()
	if !warned {
		m.log.Warn(`metrics for a portal not in the config are counted under portal="other"`,
			"portal", name, "known", m.names)
	}
	return OtherPortal
}

// state is the health state of portal (the default portal when empty),
// nil when the Monitor does not know it.
func (m *Monitor) state(portal string) *portalState {
	if portal == "" {
		portal = m.defaultPortal()
	}
	return m.portals[portal]
}

// Portals returns the portal label values the Monitor knows, in order;
// the first is the default portal.
func (m *Monitor) Portals() []string { return append([]string(nil), m.names...) }
