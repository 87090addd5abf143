package config

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/parc-archiver/parc/internal/canon"
)

// PortalConfigs returns one single-portal view per portal, in config
// order: a copy of c whose Portal is the portal, whose Crawl is the
// top-level crawl: with the portal's overrides, whose Watch.Cadence is
// the portal's cadence, and whose Portals and PortalsDir are empty. In the
// single form it is one view equal to c. The views share nothing mutable
// with c or with each other.
func (c *Config) PortalConfigs() []*Config {
	if len(c.Portals) == 0 {
		return []*Config{c.view()}
	}
	views := make([]*Config, len(c.Portals))
	for i, e := range c.Portals {
		v := c.view()
		v.Portal = e.Portal.clone()
		v.Crawl = e.Crawl.Apply(c.Crawl)
		v.Watch.Cadence = slices.Clone(e.Cadence)
		v.index = i
		views[i] = v
	}
	return views
}

// SelectPortals returns the views (PortalConfigs) of the portals named, in
// config order; no names selects all. An unknown name is an *Error
// listing the known names.
func (c *Config) SelectPortals(names []string) ([]*Config, error) {
	views := c.PortalConfigs()
	if len(names) == 0 {
		return views, nil
	}
	known := c.PortalNames()
	for _, n := range names {
		if !slices.Contains(known, n) {
			return nil, &Error{File: c.file, Msg: fmt.Sprintf("no portal named %q (the portals are: %s)", n, strings.Join(known, ", "))}
		}
	}
	return slices.DeleteFunc(views, func(v *Config) bool { return !slices.Contains(names, v.Portal.Name) }), nil
}

// PortalNames returns the portals' names in config order.
func (c *Config) PortalNames() []string {
	if len(c.Portals) == 0 {
		return []string{c.Portal.Name}
	}
	names := make([]string, len(c.Portals))
	for i, e := range c.Portals {
		names[i] = e.Name
	}
	return names
}

// Warnings returns what validation found suspect but not wrong: portals
// whose scopes overlap (an allowed domain on a port of both).
func (c *Config) Warnings() []string { return slices.Clone(c.warns) }

// ClaimedByEarlier reports whether rawURL is in the scope of a portal
// listed before this view's, and names the first such portal: a URL in
// several portals' scopes belongs to the first listed. A portal's scope is
// its allowed domains on its start URLs' ports, and within them its start
// URLs and the URLs its article_url or listing_url matches (every URL when
// it sets neither, as the crawler follows every page then). Ownership
// follows the config's order whichever portals SelectPortals selected.
func (c *Config) ClaimedByEarlier(rawURL string) (owner string, ok bool) {
	if c.scope == nil || c.index == 0 {
		return "", false
	}
	u, err := canon.Parse(nil, rawURL)
	if err != nil {
		return "", false
	}
	for _, i := range c.scope.byOrigin[origin{strings.ToLower(u.Hostname()), canon.EffectivePort(u)}] {
		if i >= c.index {
			break
		}
		if pt := &c.scope.portals[i]; pt.covers(u) {
			return pt.Name, true
		}
	}
	return "", false
}

// scopeIndex is every portal's scope, looked up by host and port: a URL is
// checked against the portals on its server only (1 000 portals on one
// loopback address, one port each, cost one lookup). The views share it;
// nothing changes it after Parse.
type scopeIndex struct {
	portals  []scopedPortal
	byOrigin map[origin][]int // → indices in portals, ascending
}

// origin is an allowed domain on one of a portal's start URLs' ports.
type origin struct{ host, port string }

// scopedPortal is one portal's scope.
type scopedPortal struct {
	Portal
	ports     []string // the start URLs' effective ports
	startKeys []string // the start URLs' canon.Key
}

func newScopeIndex(entries []PortalEntry) *scopeIndex {
	s := &scopeIndex{byOrigin: map[origin][]int{}}
	for i, e := range entries {
		sp := scopedPortal{Portal: e.Portal.clone()}
		for _, raw := range e.StartURLs {
			if u, err := url.Parse(raw); err == nil && !slices.Contains(sp.ports, canon.EffectivePort(u)) {
				sp.ports = append(sp.ports, canon.EffectivePort(u))
			}
			if k, err := canon.Key(raw); err == nil {
				sp.startKeys = append(sp.startKeys, k)
			}
		}
		s.portals = append(s.portals, sp)
		for _, h := range e.AllowedDomains {
			for _, port := range sp.ports {
				o := origin{h, port}
				if ix := s.byOrigin[o]; len(ix) == 0 || ix[len(ix)-1] != i {
					s.byOrigin[o] = append(ix, i)
				}
			}
		}
	}
	return s
}

// covers reports whether the cleaned URL u, on one of the portal's
// origins (byOrigin found it), is in the portal's scope.
func (sp *scopedPortal) covers(u *url.URL) bool {
	s := u.String()
	if sp.articleRE == nil && sp.listingRE == nil {
		return true
	}
	if sp.articleRE != nil && sp.articleRE.MatchString(s) || sp.listingRE != nil && sp.listingRE.MatchString(s) {
		return true
	}
	k, err := canon.Key(s)
	return err == nil && slices.Contains(sp.startKeys, k)
}

// overlaps describes each pair of portals sharing an allowed domain on a
// port of both, in config order.
func (s *scopeIndex) overlaps() []string {
	type pair struct{ a, b int }
	shared := map[pair][]string{}
	var pairs []pair
	for o, ix := range s.byOrigin {
		for x, a := range ix {
			for _, b := range ix[x+1:] {
				pr := pair{a, b}
				if _, ok := shared[pr]; !ok {
					pairs = append(pairs, pr)
				}
				if !slices.Contains(shared[pr], o.host) {
					shared[pr] = append(shared[pr], o.host)
				}
			}
		}
	}
	slices.SortFunc(pairs, func(x, y pair) int {
		if x.a != y.a {
			return x.a - y.a
		}
		return x.b - y.b
	})
	warns := make([]string, 0, len(pairs))
	for _, pr := range pairs {
		hosts := shared[pr]
		slices.Sort(hosts)
		a, b := s.portals[pr.a].Name, s.portals[pr.b].Name
		warns = append(warns, fmt.Sprintf("portals %q and %q share allowed_domains %s: a URL in both scopes belongs to %q, listed first",
			a, b, strings.Join(hosts, ", "), a))
	}
	return warns
}

// view copies c without its multi-portal fields, sharing no slice with it.
func (c *Config) view() *Config {
	v := *c
	v.Portal = c.Portal.clone()
	v.Portals, v.PortalsDir, v.warns = nil, "", nil
	v.Notify.Webhooks = slices.Clone(c.Notify.Webhooks)
	v.Watch.Cadence = slices.Clone(c.Watch.Cadence)
	return &v
}

// clone copies pt so that no slice is shared (the compiled patterns and
// the location are immutable).
func (pt Portal) clone() Portal {
	pt.StartURLs = slices.Clone(pt.StartURLs)
	pt.AllowedDomains = slices.Clone(pt.AllowedDomains)
	pt.Selectors.Remove = slices.Clone(pt.Selectors.Remove)
	return pt
}
