package serve

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/parc-archiver/parc/archive"
)

// TestLender: while a crawl holds the archive, requests use its handle;
// the crawl's open waits for a request that opened the file itself, so
// it never finds the file locked; after Withdraw, requests open the file
// again.
func TestLender(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	l := &Lender{Fallback: &Opener{Path: f.path}}
	inside, release := make(chan struct{}), make(chan struct{})
	var readerDone atomic.Bool
	used := make(chan error, 1)
	go func() {
		used <- l.Use(ctx, func(arc *archive.Archive) error {
			close(inside)
			<-release
			readerDone.Store(true)
			return nil
		})
	}()
	<-inside
	opened := make(chan *archive.Archive, 1)
	go func() {
		arc, err := l.Open(func() (*archive.Archive, error) {
			if !readerDone.Load() {
				t.Error("the crawl opened the archive while a request had it open")
			}
			return archive.Open(f.path, archive.Options{NoSync: true})
		})
		if err != nil {
			t.Error(err)
		}
		opened <- arc
	}()
	close(release)
	if err := <-used; err != nil {
		t.Fatal(err)
	}
	crawl := <-opened
	if crawl == nil {
		t.FailNow()
	}
	if err := l.Use(ctx, func(arc *archive.Archive) error {
		if arc != crawl {
			t.Error("a request during the crawl did not get the crawl's handle")
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	l.Withdraw()
	if err := crawl.Close(); err != nil {
		t.Fatal(err)
	}
	if err := l.Use(ctx, func(arc *archive.Archive) error {
		if arc == crawl || !arc.ReadOnly() {
			t.Error("after Withdraw, a request still got the crawl's handle")
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	var nilLender *Lender
	arc, err := nilLender.Open(func() (*archive.Archive, error) { return archive.Open(f.path, archive.Options{NoSync: true}) })
	if err != nil {
		t.Fatal(err)
	}
	nilLender.Withdraw()
	arc.Close()
}
