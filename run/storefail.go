package run

import (
	"context"
	"errors"
	"fmt"
	"syscall"
)

// maxStoreFailsInRow is how many pages in a row may fail to store before
// a run stops fetching: past that, whatever the cause, fetching more only
// loses more work.
const maxStoreFailsInRow = 20

// ErrStoreFailed fails a run that stopped fetching because the archive
// could not store what it fetched (disk full, file size limit, quota, or
// maxStoreFailsInRow failures in a row). What was committed stays; the
// pages not stored are fetched again by the next run.
var ErrStoreFailed = errors.New("archive cannot store pages")

// storeGuard stops a crawl at the first store failure that means no
// further page can be stored either, or after maxStoreFailsInRow.
type storeGuard struct {
	stop   context.CancelCauseFunc
	inRow  int
	total  int
	reason error // why fetching stopped; nil while it goes on
}

// failed books one store failure (on the archive's committer, under the
// run's mutex).
func (g *storeGuard) failed(err error) {
	g.total++
	g.inRow++
	if g.reason != nil {
		return
	}
	switch {
	case storageExhausted(err):
		g.reason = fmt.Errorf("%w: %w", ErrStoreFailed, err)
	case g.inRow >= maxStoreFailsInRow:
		g.reason = fmt.Errorf("%w: %d pages in a row not stored, the last: %w", ErrStoreFailed, g.inRow, err)
	default:
		return
	}
	if g.stop != nil {
		g.stop(g.reason)
	}
}

// stored books a page stored.
func (g *storeGuard) stored() { g.inRow = 0 }

// storageExhausted reports whether err says the archive's file cannot
// grow: the file system is full, the user's quota is used up, or the file
// reached the process's size limit (RLIMIT_FSIZE).
func storageExhausted(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) || errors.Is(err, syscall.EFBIG)
}

// runError is the error of a crawl that ended with crawlErr: the store
// failure that stopped it, or, when it drained, the pages it could not
// store (kept as failures, fetched again by the next run).
func (g *storeGuard) runError(crawlErr error) error {
	if g.reason != nil {
		return fmt.Errorf("%w; stopped fetching: what was committed is kept, the next crawl fetches the rest", g.reason)
	}
	if crawlErr == nil && g.total > 0 {
		return fmt.Errorf("%w: %d pages not stored; the next crawl fetches them again", ErrStoreFailed, g.total)
	}
	return crawlErr
}
