package archive

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/parc-archiver/parc/frontier"
)

// TestFrontierReadAhead hands out more items than one read-ahead holds,
// with some in flight while others are added and committed, and checks
// that each URL comes out exactly once, in queue order, and the queue then
// reads empty.
func TestFrontierReadAhead(t *testing.T) {
	tests := []struct {
		name     string
		first    int // items added and committed before handing out
		later    int // items added after the first Next
		inFlight int // items kept handed out (not done) while handing out
	}{
		{"one read-ahead", aheadMax - 1, 0, 0},
		{"several read-aheads", 3*aheadMax + 5, 0, 0},
		{"adds while handing out", aheadMax + 3, 2*aheadMax + 1, 0},
		{"many in flight", 2*aheadMax + 7, aheadMax, aheadMax + 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			a, _ := openTest(t, Options{NoSync: true})
			f, err := a.Frontier(ctx, FrontierOptions{})
			if err != nil {
				t.Fatal(err)
			}
			urls := func(from, n int) []frontier.Item {
				var out []frontier.Item
				for i := from; i < from+n; i++ {
					out = append(out, frontier.Item{URL: fmt.Sprintf("https://vinachem.com.vn/nd/tin/%d.html", i), Kind: frontier.KindArticle})
				}
				return out
			}
			if _, err := f.Add(ctx, urls(0, tt.first), math.MaxInt); err != nil {
				t.Fatal(err)
			}
			if err := a.Flush(ctx); err != nil {
				t.Fatal(err)
			}
			var got []string
			var held []frontier.Item
			for i := 0; ; i++ {
				if i == 1 && tt.later > 0 {
					if _, err := f.Add(ctx, urls(tt.first, tt.later), math.MaxInt); err != nil {
						t.Fatal(err)
					}
					if err := a.Flush(ctx); err != nil {
						t.Fatal(err)
					}
				}
				it, ok, err := f.Next(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if !ok {
					break
				}
				got = append(got, it.URL)
				if len(held) < tt.inFlight {
					held = append(held, it)
					continue
				}
				if err := f.Done(ctx, it, frontier.StatusDone); err != nil {
					t.Fatal(err)
				}
			}
			want := urls(0, tt.first+tt.later)
			if len(got) != len(want) {
				t.Fatalf("handed out %d items, want %d", len(got), len(want))
			}
			for i := range want {
				if got[i] != want[i].URL {
					t.Fatalf("item %d = %s, want %s", i, got[i], want[i].URL)
				}
			}
			if p := f.Pending(); p != len(held) {
				t.Errorf("pending %d, want %d in flight", p, len(held))
			}
			for _, it := range held {
				if err := f.Done(ctx, it, frontier.StatusDone); err != nil {
					t.Fatal(err)
				}
			}
			if _, ok, _ := f.Next(ctx); ok {
				t.Error("an item came out twice")
			}
		})
	}
}

// TestFrontierOutOfOrderAdds checks that adds committed after the queue
// was read past their sequence numbers (two Add calls racing to the
// committer) are still handed out.
func TestFrontierOutOfOrderAdds(t *testing.T) {
	ctx := context.Background()
	a, _ := openTest(t, Options{NoSync: true})
	f, err := a.Frontier(ctx, FrontierOptions{})
	if err != nil {
		t.Fatal(err)
	}
	first := items(frontier.KindArticle, "https://vinachem.com.vn/nd/a.html", "https://vinachem.com.vn/nd/b.html")
	if _, err := f.Add(ctx, first, math.MaxInt); err != nil {
		t.Fatal(err)
	}
	if err := a.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	it, ok, err := f.Next(ctx)
	if err != nil || !ok {
		t.Fatalf("next: %v %v", ok, err)
	}
	// As if a later Add had committed first and been read: the queue is
	// read past the seqs the next Add takes.
	f.mu.Lock()
	f.scanned = f.nextQ + 10
	f.mu.Unlock()
	late := items(frontier.KindArticle, "https://vinachem.com.vn/nd/c.html")
	if _, err := f.Add(ctx, late, math.MaxInt); err != nil {
		t.Fatal(err)
	}
	if err := a.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	got := append([]string{it.URL}, drain(t, f)...)
	want := []string{first[0].URL, first[1].URL, late[0].URL}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("handed out %v, want %v", got, want)
	}
}
