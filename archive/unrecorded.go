package archive

import (
	"context"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/parc-archiver/parc/archive/internal/runlog"
)

// Unrecorded counts the frontier entries marked done, in any run, that
// match (an article's key, by the caller's pattern) and have neither a
// record nor a failure: pages a crawl before parc 0.5 reported done
// although their store failed. It returns the count and up to max keys.
func (a *Archive) Unrecorded(ctx context.Context, match func(key string) bool, max int) (n int, keys []string, err error) {
	err = a.view(ctx, func(tx *bolt.Tx) error {
		queued, err := frontierLayout.QueuedKeys(tx)
		if err != nil {
			return err
		}
		n, keys, err = frontierLayout.Buckets(tx).Unrecorded(queued, match, max)
		return err
	})
	if err != nil {
		return 0, nil, fmt.Errorf("unrecorded pages of %s: %w", a.path, err)
	}
	return n, keys, nil
}

// ForgetUnrecorded removes the seen-set entries of runs before run that
// have no record: a crawl that walked every listing in run queued again
// every one of them the portal still links, so the rest are pages gone
// from the portal (or listings), and no check should report them again.
// It returns how many it removed.
func (a *Archive) ForgetUnrecorded(ctx context.Context, run uint64) (int, error) {
	n := 0
	err := a.do(ctx, func(tx *bolt.Tx) error {
		var err error
		n, err = frontierLayout.Buckets(tx).Forget(run)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("forget unrecorded pages of %s: %w", a.path, err)
	}
	return n, nil
}

// RunRecords returns what RecordRun stored, oldest first (at most 100).
func (a *Archive) RunRecords(ctx context.Context) ([]json.RawMessage, error) {
	var runs []json.RawMessage
	err := a.view(ctx, func(tx *bolt.Tx) error {
		runs = runlog.Last(tx.Bucket(bRuns))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("run records of %s: %w", a.path, err)
	}
	return runs, nil
}
