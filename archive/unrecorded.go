package archive

import (
	"context"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/parc-archiver/parc/archive/internal/runlog"
	"github.com/parc-archiver/parc/frontier"
)

// Unrecorded counts the frontier entries marked done, in any run, that
// match (an article's key, by the caller's pattern) and have neither a
// record nor a failure: pages a crawl before parc 0.5 reported done
// although their store failed. It returns the count and up to max keys.
func (a *Archive) Unrecorded(ctx context.Context, match func(key string) bool, max int) (n int, keys []string, err error) {
	err = a.read(ctx, "unrecorded pages", func(tx *bolt.Tx) error {
		queued, err := frontierLayout.QueuedKeys(tx)
		if err == nil {
			n, keys, err = frontierLayout.Buckets(tx).Unrecorded(queued, match, max)
		}
		return err
	})
	return n, keys, err
}

// ForgetUnrecorded removes the seen-set entries of runs before run that
// have no record: a crawl that walked every listing in run queued again
// every one of them the portal still links, so the rest are pages gone
// from the portal (or listings), and no check should report them again.
// It returns how many it removed.
func (a *Archive) ForgetUnrecorded(ctx context.Context, run uint64) (n int, err error) {
	if err := a.do(ctx, func(tx *bolt.Tx) error { n, err = frontierLayout.Buckets(tx).Forget(run); return err }); err != nil {
		return 0, fmt.Errorf("forget unrecorded pages of %s: %w", a.path, err)
	}
	return n, nil
}

// RunRecords returns what RecordRun stored, oldest first (at most 100).
func (a *Archive) RunRecords(ctx context.Context) (runs []json.RawMessage, err error) {
	err = a.read(ctx, "run records", func(tx *bolt.Tx) error { runs = runlog.Last(tx.Bucket(bRuns)); return nil })
	return runs, err
}

// Failed calls fn with each item that failed in its run and is queued
// again by the next, then with each that parc gave up on (gaveUp: an
// answer not worth asking again, a 4xx), with how it failed when known.
func (a *Archive) Failed(ctx context.Context, fn func(it frontier.Item, gaveUp bool) error) error {
	return a.read(ctx, "failed pages", func(tx *bolt.Tx) error { return frontierLayout.EachFailed(tx, fn) })
}

// read runs fn in a read transaction (view) and names what failed.
func (a *Archive) read(ctx context.Context, what string, fn func(tx *bolt.Tx) error) error {
	if err := a.view(ctx, fn); err != nil {
		return fmt.Errorf("%s of %s: %w", what, a.path, err)
	}
	return nil
}
