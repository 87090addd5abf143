package serve

import (
	"context"
	"encoding/json"
	"net/http"
	"sort"
	"time"

	"github.com/parc-archiver/parc/archive"
	"github.com/parc-archiver/parc/runrecord"
)

// monthCache is the per-portal, per-month article counts of one state of
// the archive (its change sequence and redaction count): counting them
// takes facets of the whole index, or reads every record.
type monthCache struct {
	seq      uint64
	redacted int
	rows     []portalRow // without chart and staleness
	months   map[string]map[string]int
}

// portalRow is one portal on the home page.
type portalRow struct {
	Name       string
	Articles   int
	Gone       int
	Newest     string // first_seen of its newest article
	Stale      bool   // no new article for staleAfter
	Months     []monthBar
	ChartWidth int
}

// monthBar is one bar of a portal's articles-per-month chart.
type monthBar struct {
	Month         string // YYYY-MM
	Count         int
	X, Y, W, H    int
	LabelX, Label int
	Text          string // the label under the bar, "" for none
}

// runRow is one of the last runs on the home page.
type runRow struct {
	Finished                  string
	Seconds                   float64
	Pages, New, Updated, Gone int
	Failed                    int
	Failures, Drift, Error    string
}

type homeData struct {
	Stats   archive.Stats
	Portals []portalRow
	Runs    []runRow
	Served  []string // the portals shown, when not all (Options.Portals)
}

// staleAfter is how long a portal may go without a new article before the
// home page marks it stale.
const staleAfter = 7 * 24 * time.Hour

// chartMonths is how many months the chart shows at most, up to the
// newest; chartWidth is about how wide it is, in pixels.
const (
	chartMonths = 120
	chartWidth  = 528
)

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	var d homeData
	err := s.o.Source.Use(r.Context(), func(arc *archive.Archive) error {
		st, err := arc.Stats(r.Context())
		if err != nil {
			return err
		}
		d.Stats = st
		c, err := s.counts(r.Context(), arc, st)
		if err != nil {
			return err
		}
		for _, row := range c.rows {
			if s.serves(row.Name) {
				d.Portals = append(d.Portals, s.finish(row, c.months[row.Name]))
			}
		}
		return nil
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Runs = lastRuns(d.Stats.LastRuns, 10, s.serves)
	d.Served = s.o.Portals
	s.render(w, http.StatusOK, "home", "Kho lưu trữ parc", d)
}

// counts are the per-portal counts of the archive as st describes it,
// computed once per change sequence and redaction count: from the search
// index when it is up to date with arc, else by reading every record.
func (s *Server) counts(ctx context.Context, arc *archive.Archive, st archive.Stats) (*monthCache, error) {
	s.mu.Lock()
	c := s.months
	s.mu.Unlock()
	if c != nil && c.seq == st.ChangeSeq && c.redacted == st.Redacted {
		return c, nil
	}
	c = &monthCache{seq: st.ChangeSeq, redacted: st.Redacted}
	ok, err := false, error(nil)
	if ix := s.o.Index; ix != nil {
		if ok, err = indexCurrent(ctx, arc, ix); err != nil {
			return nil, err
		}
	}
	if ok {
		c.rows, c.months, err = s.o.Index.Portals(ctx)
	} else {
		c.rows, c.months, err = scanCounts(ctx, arc)
	}
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.months = c
	s.mu.Unlock()
	return c, nil
}

// indexCurrent brings ix up to date with arc if it can do so at once, and
// reports whether it is.
func indexCurrent(ctx context.Context, arc *archive.Archive, ix *Index) (bool, error) {
	if building, _, _ := ix.Indexing(); building {
		return false, nil
	}
	if current, err := ix.CatchUp(ctx, arc); err != nil || !current {
		return false, err
	}
	return true, ix.applyRedactions()
}

// scanCounts counts the records per portal and month by reading every
// record (no index, or one being built).
func scanCounts(ctx context.Context, arc *archive.Archive) ([]portalRow, map[string]map[string]int, error) {
	rows := map[string]*portalRow{}
	months := map[string]map[string]int{}
	err := arc.Records(ctx, archive.Filter{}, func(raw []byte) error {
		var rec struct {
			Portal    string `json:"portal"`
			Published string `json:"published"`
			FirstSeen string `json:"first_seen"`
			GoneSince string `json:"gone_since"`
		}
		if err := json.Unmarshal(raw, &rec); err != nil {
			return err
		}
		row := rows[rec.Portal]
		if row == nil {
			row = &portalRow{Name: rec.Portal}
			rows[rec.Portal], months[rec.Portal] = row, map[string]int{}
		}
		row.Articles++
		if rec.GoneSince != "" {
			row.Gone++
		}
		row.Newest = max(row.Newest, rec.FirstSeen)
		if m := monthOf(rec.Published, rec.FirstSeen); m != "" {
			months[rec.Portal][m]++
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	out := make([]portalRow, 0, len(rows))
	for _, row := range rows {
		out = append(out, *row)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, months, nil
}

// finish adds to a portal's row its chart and whether it is stale.
func (s *Server) finish(row portalRow, months map[string]int) portalRow {
	if n, err := time.Parse(time.RFC3339, row.Newest); err == nil && s.o.Now().Sub(n) > staleAfter {
		row.Stale = true
	}
	row.Months, row.ChartWidth = chart(months)
	return row
}

// monthOf is the month (YYYY-MM) an article counts in on the home page:
// of its publication as the portal printed it, else of when parc first
// stored it.
func monthOf(published, firstSeen string) string {
	for _, t := range []string{published, firstSeen} {
		if len(t) >= 7 {
			return t[:7]
		}
	}
	return ""
}

// chart lays out one bar a month from the oldest month with articles to
// the newest (at most chartMonths of them, the newest), in a chart of
// about chartWidth pixels; months without articles get a bar of height 0.
// Past two years, only Januaries are labelled (with the year).
func chart(months map[string]int) ([]monthBar, int) {
	var oldest, newest string
	top := 1
	for m, n := range months {
		if oldest == "" || m < oldest {
			oldest = m
		}
		newest, top = max(newest, m), max(top, n)
	}
	first, err1 := time.Parse("2006-01", oldest)
	end, err2 := time.Parse("2006-01", newest)
	if len(months) == 0 || err1 != nil || err2 != nil {
		return nil, 0
	}
	n := min(chartMonths, (end.Year()-first.Year())*12+int(end.Month()-first.Month())+1)
	step := min(22, max(3, chartWidth/n))
	const height = 120
	bars := make([]monthBar, n)
	for i := range n {
		t := end.AddDate(0, i-n+1, 0)
		m := t.Format("2006-01")
		h := months[m] * height / top
		b := monthBar{Month: m, Count: months[m], X: i * step, W: max(2, step-step/5), H: h, Y: height - h,
			LabelX: i*step + step/2, Label: height + 14}
		switch {
		case n <= 24:
			b.Text = m[5:]
		case t.Month() == time.January:
			b.Text = m[:4]
		}
		bars[i] = b
	}
	return bars, n * step
}

// lastRuns turns the newest n stored run records of the portals shown
// into rows, newest first (a run naming no portal is of every one).
func lastRuns(raws []json.RawMessage, n int, shown func(portal string) bool) []runRow {
	var rows []runRow
	for i := len(raws) - 1; i >= 0 && len(rows) < n; i-- {
		r, err := runrecord.Parse(raws[i])
		if err != nil || r.Portal != "" && !shown(r.Portal) {
			continue
		}
		rows = append(rows, runRow{
			Finished: r.Finished.UTC().Format(time.RFC3339), Seconds: r.Seconds,
			Pages: r.Pages, New: r.New, Updated: r.Updated, Gone: r.Gone, Failed: r.Failed,
			Failures: failureText(r), Drift: r.Drift, Error: r.Error,
		})
	}
	return rows
}

func failureText(r runrecord.Run) string {
	kinds := make([]string, 0, len(r.Failures))
	for k, n := range r.Failures {
		if n > 0 {
			kinds = append(kinds, string(k)+" "+itoa(n))
		}
	}
	sort.Strings(kinds)
	out := ""
	for i, k := range kinds {
		if i > 0 {
			out += ", "
		}
		out += k
	}
	return out
}
