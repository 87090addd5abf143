package monitor

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// portalHealth is one portal's health at a time: ok, and why in one line.
type portalHealth struct {
	ok   bool
	line string
}

// health judges st at now. The caller holds m.mu.
func (st *portalState) health(now time.Time) portalHealth {
	last := st.success
	switch {
	case st.notStored > 0:
		return portalHealth{line: fmt.Sprintf("%s: the last crawl could not store %d pages (is the disk full?); they are fetched again once a crawl can store them",
			st.name, st.notStored)}
	case last.IsZero():
		return portalHealth{line: st.name + ": no successful crawl yet"}
	case now.Sub(last) > st.maxAge:
		return portalHealth{line: fmt.Sprintf("%s: last successful crawl %s ago (at %s), more than %s",
			st.name, now.Sub(last).Round(time.Second), last.UTC().Format(time.RFC3339), st.maxAge)}
	default:
		return portalHealth{ok: true, line: fmt.Sprintf("%s: ok, last successful crawl at %s", st.name, last.UTC().Format(time.RFC3339))}
	}
}

// Health answers GET for every portal, or for the one named by the query
// parameter portal (404 with the known names when it is unknown). A
// portal is healthy while its last successful run finished at most its
// max age ago (Options.MaxAges, else Options.HealthMaxAge) and no later
// run failed to store a page. Health answers 200 with one line per portal
// naming its last success when all are healthy, else 503 with one line
// per unhealthy portal saying why.
func (m *Monitor) Health() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		names := m.names
		if q := r.URL.Query(); q.Has("portal") {
			name := q.Get("portal")
			if m.portals[name] == nil {
				w.WriteHeader(http.StatusNotFound)
				fmt.Fprintf(w, "unknown portal %q; known: %s\n", name, strings.Join(m.names, ", "))
				return
			}
			names = []string{name}
		}
		code, lines := m.judge(names)
		w.WriteHeader(code)
		for _, l := range lines {
			fmt.Fprintln(w, l)
		}
	})
}

// judge is the status and body lines of Health for the named portals.
func (m *Monitor) judge(names []string) (int, []string) {
	now := m.opts.Now()
	var ok, bad []string
	m.mu.Lock()
	for _, name := range names {
		h := m.portals[name].health(now)
		if h.ok {
			ok = append(ok, h.line)
		} else {
			bad = append(bad, h.line)
		}
	}
	m.mu.Unlock()
	if len(bad) > 0 {
		return http.StatusServiceUnavailable, bad
	}
	return http.StatusOK, ok
}
