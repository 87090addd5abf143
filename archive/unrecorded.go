package archive

import (
	"context"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/parc-archiver/parc/archive/internal/portals"
	"github.com/parc-archiver/parc/archive/internal/runlog"
	"github.com/parc-archiver/parc/frontier"
)

// Unrecorded counts the frontier entries marked done, in any run, that
// match (an article's key, by the caller's pattern) and have neither a
// record nor a failure: pages a crawl before parc 0.5 reported done
// although their store failed. It returns the count and up to max keys.
// Only the first portal's frontier can hold them (parc before 0.5 had
// one portal).
func (a *Archive) Unrecorded(ctx context.Context, match func(key string) bool, max int) (n int, keys []string, err error) {
	err = a.read(ctx, "unrecorded pages", func(tx *bolt.Tx) error {
		queued, err := legacyLayout.QueuedKeys(tx)
		if err == nil {
			n, keys, err = legacyLayout.Buckets(tx).Unrecorded(queued, match, max)
		}
		return err
	})
	return n, keys, err
}

// ForgetUnrecorded removes the seen-set entries of runs before run that
// have no record: a crawl that walked every listing in run queued again
// every one of them the portal still links, so the rest are pages gone
// from the portal (or listings), and no check should report them again.
// It returns how many it removed. Like Unrecorded, it concerns the first
// portal's frontier (run is a run of its).
func (a *Archive) ForgetUnrecorded(ctx context.Context, run uint64) (n int, err error) {
	if err := a.do(ctx, func(tx *bolt.Tx) error { n, err = legacyLayout.Buckets(tx).Forget(run); return err }); err != nil {
		return 0, fmt.Errorf("forget unrecorded pages of %s: %w", a.path, err)
	}
	return n, nil
}

// legacyLayout names the first portal's frontier buckets.
var legacyLayout = portals.LayoutOf(portals.Legacy, bURLs)

// Runs returns what RecordRun stored for the named portals (none named:
// every portal), oldest first, at most the last 100 of each portal; an
// unknown name has none.
func (a *Archive) Runs(ctx context.Context, names ...string) (runs []json.RawMessage, err error) {
	err = a.read(ctx, "run records", func(tx *bolt.Tx) error { runs = runlog.Merged(portals.RunLogs(tx, names)); return nil })
	return runs, err
}

// Failed calls fn with each item that failed in its run and is queued
// again by the next, then with each that parc gave up on (gaveUp: an
// answer not worth asking again, a 4xx), with how it failed when known,
// portal by portal (in registration order), naming the portal.
func (a *Archive) Failed(ctx context.Context, fn func(portal string, it frontier.Item, gaveUp bool) error) error {
	return a.read(ctx, "failed pages", func(tx *bolt.Tx) error {
		all, err := portals.All(tx)
		if err != nil {
			return err
		}
		if len(all) == 0 { // an archive no portal wrote to since it had portals
			all = []portals.Named{{Name: a.opts.Portal, Entry: portals.Entry{Num: portals.Legacy}}}
		}
		for _, p := range all {
			err := portals.LayoutOf(p.Num, bURLs).EachFailed(tx, func(it frontier.Item, gaveUp bool) error {
				return fn(p.Name, it, gaveUp)
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// read runs fn in a read transaction (view) and names what failed.
func (a *Archive) read(ctx context.Context, what string, fn func(tx *bolt.Tx) error) error {
	if err := a.view(ctx, fn); err != nil {
		return fmt.Errorf("%s of %s: %w", what, a.path, err)
	}
	return nil
}
