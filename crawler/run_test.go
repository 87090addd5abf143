package crawler

import (
	"context"
	"sync"
	"testing"
)

// runCrawl crawls with opts over fr, handing every page over to a Handler
// that accepts it, and returns the run's stats and the paths handed over,
// in the order handled.
func runCrawl(t *testing.T, opts Options, fr Frontier) (Stats, []string) {
	t.Helper()
	var (
		mu    sync.Mutex
		paths []string
	)
	c, err := New(opts, fr, func(_ context.Context, p *Page) error {
		mu.Lock()
		defer mu.Unlock()
		paths = append(paths, p.URL.Path)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	st, err := c.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return st, paths
}
