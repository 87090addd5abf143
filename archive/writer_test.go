package archive

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

// TestWriterBounds stores pages under a small byte bound (batches end
// before BatchSize) and a small node bound (one batch spans several
// transactions): every page is stored once, reported in submission order
// after its commit, and duplicates within a batch still dedup.
func TestWriterBounds(t *testing.T) {
	tests := []struct {
		name       string
		batchBytes int64
		txNodes    int64
		// wantEarly: results are reported before Close flushes (the byte
		// bound commits full batches on its own).
		wantEarly bool
		wantTxns  int64 // at least this many write transactions
	}{
		{"byte bound", 64 << 10, maxTxNodes, true, 3},
		{"node bound", 1 << 30, 4, false, 5},
		{"both", 64 << 10, 4, true, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, _ := openTest(t, Options{NoSync: true, KeepRaw: true, BatchSize: 1000, BatchDelay: time.Hour, BatchBytes: tt.batchBytes})
			a.txNodes = tt.txNodes
			var (
				mu       sync.Mutex
				got      []string
				outcomes = map[Outcome]int{}
				closing  bool
				early    int
			)
			w := a.NewWriter(WriterOptions{OnResult: func(p Page, r Result, err error) {
				if err != nil {
					t.Errorf("%s: %v", p.URL, err)
					return
				}
				if _, gerr := a.Get(context.Background(), r.ID); gerr != nil {
					t.Errorf("OnResult before commit: %v", gerr)
				}
				mu.Lock()
				defer mu.Unlock()
				got = append(got, p.URL)
				outcomes[r.Outcome]++
				if !closing {
					early++
				}
			}})
			ctx := context.Background()
			now := a.opts.Now()
			var want []string
			const n = 40
			for i := range n {
				u := fmt.Sprintf("https://vinachem.com.vn/nd/tin/%d.html", i)
				body := benchBody(i%(n/2), 4) // the second half repeats the first: aliases
				p := page(u, article(fmt.Sprintf("Bài %d", i%(n/2)), body), now)
				p.Capture = benchCapture(u, body, now)
				want = append(want, u)
				if err := w.Submit(ctx, p); err != nil {
					t.Fatal(err)
				}
			}
			mu.Lock()
			closing = true
			mu.Unlock()
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			mu.Lock()
			defer mu.Unlock()
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("OnResult order:\n%v\nwant\n%v", got, want)
			}
			if outcomes[OutcomeNew] != n/2 || outcomes[OutcomeAlias] != n/2 {
				t.Errorf("outcomes %v, want %d new and %d duplicates", outcomes, n/2, n/2)
			}
			if (early > 0) != tt.wantEarly {
				t.Errorf("%d results before Close, want early results: %v", early, tt.wantEarly)
			}
			if txns := a.txns.Load(); txns < tt.wantTxns {
				t.Errorf("%d write transactions, want at least %d", txns, tt.wantTxns)
			}
			if got := len(records(t, a, Filter{})); got != n/2 {
				t.Errorf("%d records, want %d", got, n/2)
			}
		})
	}
}

// TestSubmitWaitsForBudget checks that a Submit beyond the queue budget
// waits (here until its context ends) and goes through once commits
// release the budget.
func TestSubmitWaitsForBudget(t *testing.T) {
	a, _ := openTest(t, Options{NoSync: true, BatchBytes: 1 << 20})
	p := page("https://vinachem.com.vn/nd/big.html", article("Lớn", benchBody(1, 8)), a.opts.Now())
	w := a.NewWriter(WriterOptions{})
	// Take the whole budget, as queued uncommitted pages would.
	if err := a.queued.Acquire(context.Background(), 2*a.opts.BatchBytes); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := w.Submit(ctx, p); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("submit with the budget taken: %v, want a deadline error", err)
	}
	a.queued.Release(2 * a.opts.BatchBytes)
	if err := w.Submit(context.Background(), p); err != nil {
		t.Fatalf("submit after the budget was released: %v", err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if got := len(records(t, a, Filter{})); got != 1 {
		t.Errorf("%d records, want 1", got)
	}
}
