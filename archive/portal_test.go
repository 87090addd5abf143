package archive

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/parc-archiver/parc/archive/internal/portals"
	"github.com/parc-archiver/parc/frontier"
	"github.com/parc-archiver/parc/record"
)

// portalPage is page for portal name.
func portalPage(name, url string, art *Article, at time.Time) Page {
	p := page(url, art, at)
	p.Portal = name
	return p
}

func portalNames(t *testing.T, a *Archive) []string {
	t.Helper()
	ps, err := a.Portals(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range ps {
		out = append(out, fmt.Sprintf("%s:%d", p.Name, p.Records))
	}
	return out
}

func verifyClean(t *testing.T, a *Archive) {
	t.Helper()
	if probs, err := a.Verify(context.Background()); err != nil || len(probs) != 0 {
		t.Fatalf("verify: %v %v", probs, err)
	}
}

// A portal is registered when it first writes (a stored page, a
// frontier, a run record), in that order, which a reopen keeps; counts
// and the newest first_seen follow its records.
func TestPortalRegistry(t *testing.T) {
	ctx := context.Background()
	a, path := openTest(t, Options{NoSync: true})
	t1 := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	mustPut(t, a, portalPage("group", "https://vinachem.com.vn/nd/a/1.html", article("Một", "Bài một."), t1))
	mustPut(t, a, portalPage("member", "https://dpm.vn/nd/a/1.html", article("Hai", "Bài hai."), t1))
	mustPut(t, a, portalPage("group", "https://vinachem.com.vn/nd/a/2.html", article("Ba", "Bài ba."), t1.Add(time.Hour)))
	f, err := a.Frontier(ctx, FrontierOptions{Portal: "third"})
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if err := a.RecordRun(ctx, []byte(`{"portal":"fourth","new":0}`)); err != nil {
		t.Fatal(err)
	}
	want := []string{"group:2", "member:1", "third:0", "fourth:0"}
	if got := portalNames(t, a); !slices.Equal(got, want) {
		t.Errorf("portals %v, want %v", got, want)
	}
	ps, _ := a.Portals(ctx)
	if ps[0].NewestFirstSeen != "2026-12-01T09:00:00Z" || ps[2].Run != 1 || ps[2].RunFinished {
		t.Errorf("group %+v, third %+v", ps[0], ps[2])
	}
	verifyClean(t, a)
	a.Close()
	b := reopen(t, path, Options{ReadOnly: true})
	defer b.Close()
	if got := portalNames(t, b); !slices.Equal(got, want) {
		t.Errorf("reopened: portals %v, want %v", got, want)
	}
}

// Frontiers of several portals are open at once, used concurrently, each
// with its own queue, run and failures; a second one of the same portal
// is refused until the first is closed, and then resumes its run.
func TestFrontiersPerPortal(t *testing.T) {
	ctx := context.Background()
	a, path := openTest(t, Options{NoSync: true, Portal: "group"})
	group, err := a.Frontier(ctx, FrontierOptions{}) // Options.Portal
	if err != nil {
		t.Fatal(err)
	}
	member, err := a.Frontier(ctx, FrontierOptions{Portal: "member"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Frontier(ctx, FrontierOptions{Portal: "group"}); !errors.Is(err, ErrFrontierOpen) {
		t.Fatalf("second frontier of one portal: %v, want ErrFrontierOpen", err)
	}
	hosts := map[*Frontier]string{group: "https://vinachem.com.vn", member: "https://dpm.vn"}
	var wg sync.WaitGroup
	got := map[*Frontier][]string{}
	var mu sync.Mutex
	for f, host := range hosts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var us []string
			for i := range 50 {
				us = append(us, fmt.Sprintf("%s/nd/a/%d.html", host, i))
			}
			if _, err := f.Add(ctx, items(frontier.KindArticle, us...), math.MaxInt); err != nil {
				t.Error(err)
				return
			}
			var seen []string
			for {
				it, ok, err := f.Next(ctx)
				if err != nil || !ok {
					break
				}
				st := frontier.StatusDone
				if strings.HasSuffix(it.URL, "/7.html") {
					st = frontier.StatusFailed
				}
				if err := f.Done(ctx, it, st); err != nil {
					t.Error(err)
				}
				seen = append(seen, it.URL)
			}
			mu.Lock()
			got[f] = seen
			mu.Unlock()
		}()
	}
	wg.Wait()
	for f, host := range hosts {
		if len(got[f]) != 50 || !strings.HasPrefix(got[f][0], host) || !strings.HasPrefix(got[f][49], host) {
			t.Errorf("%s: handed out %d items: %v", f.Portal(), len(got[f]), got[f][:min(3, len(got[f]))])
		}
	}
	if err := a.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	var failed []string
	if err := a.Failed(ctx, func(portal string, it frontier.Item, _ bool) error {
		failed = append(failed, portal+" "+it.URL)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if want := []string{"group https://vinachem.com.vn/nd/a/7.html", "member https://dpm.vn/nd/a/7.html"}; !slices.Equal(failed, want) {
		t.Errorf("failed %v, want %v", failed, want)
	}
	if err := member.Finish(ctx); err != nil {
		t.Fatal(err)
	}
	group.Close()
	again, err := a.Frontier(ctx, FrontierOptions{Portal: "group"})
	if err != nil {
		t.Fatalf("frontier after Close: %v", err)
	}
	if again.Run() != 1 || again.Pending() != 1 { // resumed: the failure queued again
		t.Errorf("group reopened: run %d, %d pending; want run 1 resumed with 1", again.Run(), again.Pending())
	}
	again.Close()
	a.Close()
	b := reopen(t, path, Options{NoSync: true})
	defer b.Close()
	m, err := b.Frontier(ctx, FrontierOptions{Portal: "member"})
	if err != nil {
		t.Fatal(err)
	}
	if m.Run() != 2 || m.Pending() != 1 {
		t.Errorf("member after Finish: run %d, %d pending; want run 2 with its failure", m.Run(), m.Pending())
	}
	st, err := b.Stats(ctx)
	if err != nil || st.Failed != 0 || st.Pending != 2 { // both failures queued again
		t.Errorf("stats over portals: %d failed %d pending, %v", st.Failed, st.Pending, err)
	}
}

// Dedup and revisions stay within a portal: the same article stored by
// another portal is a new record of that portal, linked to the first by
// near_duplicate_of, both with the content-hash index in memory (the
// tail) and in the B+tree (merged), and after a reopen rebuilt it.
func TestSameArticleOnTwoPortals(t *testing.T) {
	for _, merged := range []bool{false, true} {
		t.Run(fmt.Sprintf("merged=%v", merged), func(t *testing.T) {
			a, path := openTest(t, Options{NoSync: true})
			if merged {
				a.tailMax = 1
			}
			at := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
			art := article("Tập đoàn tổng kết năm", seedBody)
			g := mustPut(t, a, portalPage("group", "https://vinachem.com.vn/nd/tin/1.html", art, at))
			m := mustPut(t, a, portalPage("member", "https://dpm.vn/tin/tap-doan-tong-ket.html", art, at))
			if m.Outcome != OutcomeNew || m.ID == g.ID || m.Record.NearDuplicateOf != g.ID || m.Record.Portal != "member" {
				t.Fatalf("cross-post: %v %s near %q portal %q; want a new member record near %s", m.Outcome, m.ID, m.Record.NearDuplicateOf, m.Record.Portal, g.ID)
			}
			// Within a portal the same content under another URL is an alias.
			if r := mustPut(t, a, portalPage("member", "https://dpm.vn/tin/ban-sao.html", art, at)); r.Outcome != OutcomeAlias || r.ID != m.ID {
				t.Errorf("second member copy: %v %s, want an alias of %s", r.Outcome, r.ID, m.ID)
			}
			verifyClean(t, a)
			a.Close()
			b := reopen(t, path, Options{NoSync: true})
			defer b.Close()
			if r := mustPut(t, b, portalPage("group", "https://vinachem.com.vn/nd/tin/ban-sao.html", art, at)); r.Outcome != OutcomeAlias || r.ID != g.ID {
				t.Errorf("group copy after reopen: %v %s, want an alias of %s", r.Outcome, r.ID, g.ID)
			}
			if r := mustPut(t, b, portalPage("third", "https://pvn.vn/tin/1.html", art, at)); r.Outcome != OutcomeNew || r.Record.NearDuplicateOf == "" {
				t.Errorf("third portal's copy: %v near %q", r.Outcome, r.Record.NearDuplicateOf)
			}
			verifyClean(t, b)
		})
	}
}

// Filter.Portals selects records by portal; an export cursor of a
// portal set is independent of the one of the same name without.
func TestFilterPortalsAndCursors(t *testing.T) {
	ctx := context.Background()
	a, _ := openTest(t, Options{NoSync: true})
	at := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	for i, name := range []string{"group", "member", "group", "third"} {
		mustPut(t, a, portalPage(name, fmt.Sprintf("https://%s.vn/nd/%d.html", name, i), article(fmt.Sprintf("Bài %d", i), fmt.Sprintf("Nội dung %d.", i)), at))
	}
	count := func(f Filter) map[string]int {
		n := map[string]int{}
		for _, r := range records(t, a, f) {
			n[r.Portal]++
		}
		return n
	}
	for _, tc := range []struct {
		portals []string
		want    string
	}{{nil, "map[group:2 member:1 third:1]"}, {[]string{"group"}, "map[group:2]"},
		{[]string{"third", "member"}, "map[member:1 third:1]"}, {[]string{"nobody"}, "map[]"}} {
		if got := fmt.Sprint(count(Filter{Portals: tc.portals})); got != tc.want {
			t.Errorf("portals %v: %s, want %s", tc.portals, got, tc.want)
		}
	}
	some := Filter{SinceLast: "daily", Portals: []string{"member", "group", "group"}}
	if some.CursorName() == "daily" || some.CursorName() != (Filter{SinceLast: "daily", Portals: []string{"group", "member"}}).CursorName() {
		t.Errorf("cursor name %q: not keyed by the sorted portal set", some.CursorName())
	}
	seq, _ := a.CurrentSeq(ctx)
	if err := a.CommitCursor(ctx, some.CursorName(), seq); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(count(some)); got != "map[]" {
		t.Errorf("since the committed cursor of group, member: %s", got)
	}
	if got := fmt.Sprint(count(Filter{SinceLast: "daily"})); got != "map[group:2 member:1 third:1]" {
		t.Errorf("the cursor of all portals moved with the portal set's: %s", got)
	}
	mustPut(t, a, portalPage("member", "https://member.vn/nd/9.html", article("Mới", "Bài mới của member."), at))
	if got := fmt.Sprint(count(some)); got != "map[member:1]" {
		t.Errorf("new since the cursor: %s", got)
	}
}

// Run records are kept per portal: the last 100 of each, read by portal.
func TestRunsPerPortal(t *testing.T) {
	ctx := context.Background()
	a, _ := openTest(t, Options{NoSync: true, Portal: "group"})
	for i := range 105 {
		if err := a.RecordRun(ctx, fmt.Appendf(nil, `{"new":%d}`, i)); err != nil { // Options.Portal
			t.Fatal(err)
		}
		if i%50 == 0 {
			if err := a.RecordRun(ctx, fmt.Appendf(nil, `{"portal":"member","new":%d}`, i)); err != nil {
				t.Fatal(err)
			}
		}
	}
	news := func(raws []json.RawMessage) []int {
		var out []int
		for _, raw := range raws {
			var r struct{ New int }
			if err := json.Unmarshal(raw, &r); err != nil {
				t.Fatal(err)
			}
			out = append(out, r.New)
		}
		return out
	}
	g, _ := a.Runs(ctx, "group")
	m, _ := a.Runs(ctx, "member")
	all, _ := a.Runs(ctx)
	if n := news(g); len(n) != 100 || n[0] != 5 || n[99] != 104 {
		t.Errorf("group: %d runs, %v…", len(n), n[:min(3, len(n))])
	}
	if n := news(m); !slices.Equal(n, []int{0, 50, 100}) {
		t.Errorf("member: %v", n)
	}
	if n := news(all); len(n) != 103 || n[0] != 0 || n[1] != 5 || n[102] != 104 { // member's first, then group's from 5
		t.Errorf("all: %d runs", len(n))
	}
	if err := a.RecordRun(ctx, []byte("not json")); err == nil {
		t.Error("a run record that is no JSON object was stored")
	}
}

// RenamePortal rewrites the registry and every record's and revision's
// portal; the portal keeps its number, so its frontier resumes and its
// dedup goes on. Errors name what is wrong.
func TestRenamePortal(t *testing.T) {
	ctx := context.Background()
	a, _ := openTest(t, Options{NoSync: true})
	at := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	u := "https://vinachem.com.vn/nd/1.html"
	mustPut(t, a, portalPage("group", u, article("Một", "Bài một."), at))
	mustPut(t, a, portalPage("group", u, article("Một", "Bài một, sửa."), at.Add(time.Hour)))
	mustPut(t, a, portalPage("member", "https://dpm.vn/1.html", article("Hai", "Bài hai."), at))
	mustPut(t, a, portalPage("second", "https://pvn.vn/1.html", article("Ba", "Bài ba."), at))
	f, err := a.Frontier(ctx, FrontierOptions{Portal: "second"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Add(ctx, items(frontier.KindListing, "https://pvn.vn/"), 10); err != nil {
		t.Fatal(err)
	}
	f.Close()
	for _, tc := range []struct {
		old, new string
		want     error
	}{{"nobody", "x", ErrUnknownPortal}, {"group", "member", ErrPortalExists}, {"group", "", ErrBadPortalName},
		{"group", " spaced", ErrBadPortalName}, {"group", "tab\there", ErrBadPortalName}} {
		if err := a.RenamePortal(ctx, tc.old, tc.new); !errors.Is(err, tc.want) {
			t.Errorf("rename %q to %q: %v, want %v", tc.old, tc.new, err, tc.want)
		}
	}
	if err := a.RenamePortal(ctx, "group", "vinachem"); err != nil {
		t.Fatal(err)
	}
	if err := a.RenamePortal(ctx, "second", "pvn"); err != nil {
		t.Fatal(err)
	}
	if got, want := portalNames(t, a), []string{"vinachem:1", "member:1", "pvn:1"}; !slices.Equal(got, want) {
		t.Errorf("portals %v, want %v", got, want)
	}
	for _, v := range mustGet(t, a, u).Versions {
		if v.Portal != "vinachem" {
			t.Errorf("revision %d: portal %q", v.Revision, v.Portal)
		}
	}
	if n := len(records(t, a, Filter{Portals: []string{"pvn"}})); n != 1 {
		t.Errorf("%d records of pvn", n)
	}
	verifyClean(t, a)
	g, err := a.Frontier(ctx, FrontierOptions{Portal: "pvn"})
	if err != nil || g.Run() != 1 || g.Pending() != 1 {
		t.Fatalf("renamed portal's frontier: %v; want run 1 resumed with its listing", err)
	}
	if r := mustPut(t, a, portalPage("vinachem", "https://vinachem.com.vn/nd/ban-sao.html", article("Một", "Bài một, sửa."), at)); r.Outcome != OutcomeAlias {
		t.Errorf("dedup after the rename: %v", r.Outcome)
	}
}

// A rename interrupted after some chunks is finished by the next writable
// open (and a rerun of it finds nothing left to do).
func TestRenamePortalResumes(t *testing.T) {
	ctx := context.Background()
	a, path := openTest(t, Options{NoSync: true})
	at := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	for i := range 5 {
		mustPut(t, a, portalPage("group", fmt.Sprintf("https://vinachem.com.vn/nd/%d.html", i), article(fmt.Sprintf("Bài %d", i), fmt.Sprintf("Nội dung %d.", i)), at))
	}
	if err := a.do(ctx, func(tx *bolt.Tx) error {
		if err := portals.StartRename(tx, bMeta, "group", "vinachem"); err != nil {
			return err
		}
		_, err := portals.RenameChunk(tx, stores, 2) // then the process dies
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if n := len(records(t, a, Filter{})) - countPortal(records(t, a, Filter{}), "vinachem"); n != 3 {
		t.Fatalf("%d records left to rename after one chunk of 2, want 3", n)
	}
	a.Close()
	b := reopen(t, path, Options{NoSync: true})
	defer b.Close()
	if n := countPortal(records(t, b, Filter{}), "vinachem"); n != 5 {
		t.Errorf("%d of 5 records renamed after the reopen", n)
	}
	if err := b.RenamePortal(ctx, "group", "vinachem"); !errors.Is(err, ErrUnknownPortal) {
		t.Errorf("rerun of a finished rename: %v", err)
	}
	verifyClean(t, b)
}

func countPortal(rs []record.Record, name string) int {
	n := 0
	for _, r := range rs {
		if r.Portal == name {
			n++
		}
	}
	return n
}

// Verify knows the portals' buckets; compact copies them.
func TestPortalBucketsVerifiedAndCompacted(t *testing.T) {
	ctx := context.Background()
	a, _ := openTest(t, Options{NoSync: true})
	f, err := a.Frontier(ctx, FrontierOptions{Portal: "member"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Add(ctx, items(frontier.KindListing, "https://dpm.vn/"), 10); err != nil {
		t.Fatal(err)
	}
	f.Close()
	mustPut(t, a, portalPage("member", "https://dpm.vn/1.html", article("Hai", "Bài hai."), time.Time{}))
	dst := filepath.Join(t.TempDir(), "compact.db")
	if err := a.Compact(ctx, dst); err != nil {
		t.Fatal(err)
	}
	c := reopen(t, dst, Options{NoSync: true})
	if got := portalNames(t, c); !slices.Equal(got, []string{"member:1"}) {
		t.Errorf("compacted: portals %v", got)
	}
	g, err := c.Frontier(ctx, FrontierOptions{Portal: "member"})
	if err != nil || g.Pending() != 1 {
		t.Errorf("compacted frontier: %v", err)
	}
	verifyClean(t, c)
	c.Close()
	if err := a.do(ctx, func(tx *bolt.Tx) error { return tx.DeleteBucket(portals.LayoutOf(1, nil).Failed) }); err != nil {
		t.Fatal(err)
	}
	probs, err := a.Verify(ctx)
	if err != nil || len(probs) != 1 || probs[0].Kind != "portal" {
		t.Errorf("verify without a portal's bucket: %v %v", probs, err)
	}
}
