package archive

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"

	"github.com/parc-archiver/parc/archive/internal/orderhead"
	"github.com/parc-archiver/parc/archive/internal/portals"
)

// Errors of RenamePortal.
var (
	ErrUnknownPortal = portals.ErrUnknown
	ErrPortalExists  = portals.ErrExists
	ErrBadPortalName = portals.ErrBadName
)

// PortalInfo is one portal the archive holds records or a frontier of.
type PortalInfo struct {
	Name string `json:"name"`
	// Records counts the records it stored (redacted ones included).
	Records int `json:"records"`
	// NewestFirstSeen is the newest first_seen of its records (RFC 3339).
	NewestFirstSeen string `json:"newest_first_seen,omitempty"`
	// Run is its current or last crawl run; RunFinished says whether it
	// finished; Pending and Failed count its frontier's queued and failed
	// items, GaveUp the URLs given up on.
	Run         uint64 `json:"run"`
	RunFinished bool   `json:"run_finished"`
	Pending     int    `json:"frontier_pending"`
	Failed      int    `json:"frontier_failed"`
	GaveUp      int    `json:"frontier_gave_up"`
}

// register returns the portal number of name, registering it (tx must
// be writable) when new.
func (a *Archive) register(tx *bolt.Tx, name string) (uint32, error) {
	num, err := portals.Register(tx, name, bMeta, bURLs)
	if err != nil {
		return 0, fmt.Errorf("register portal %q: %w", name, err)
	}
	return num, nil
}

// Portals lists the portals of the archive in the order they were first
// written (the first one owns what the archive stored before it had
// portals).
func (a *Archive) Portals(ctx context.Context) ([]PortalInfo, error) {
	var out []PortalInfo
	err := a.read(ctx, "portals", func(tx *bolt.Tx) error {
		all, err := portals.All(tx)
		if err != nil {
			return err
		}
		for _, p := range all {
			info := PortalInfo{Name: p.Name, Records: p.Records, NewestFirstSeen: p.Newest}
			st, err := frontierStateOf(tx, p.Num)
			if err != nil {
				return err
			}
			info.Run, info.RunFinished = st.Run, st.Finished
			l := portals.LayoutOf(p.Num, bURLs)
			info.Pending, info.Failed, info.GaveUp = keyCount(tx, l.Queue), keyCount(tx, l.Failed), keyCount(tx, l.GaveUp)
			out = append(out, info)
		}
		return nil
	})
	return out, err
}

func keyCount(tx *bolt.Tx, name []byte) int {
	if b := tx.Bucket(name); b != nil {
		return b.Stats().KeyN
	}
	return 0
}

// frontierStateOf reads portal num's frontier run state.
func frontierStateOf(tx *bolt.Tx, num uint32) (frontierState, error) {
	var st frontierState
	if v := tx.Bucket(bMeta).Get([]byte(portals.MetaKey(metaFrontier, num))); v != nil {
		if err := json.Unmarshal(v, &st); err != nil {
			return st, fmt.Errorf("frontier state: %w", err)
		}
	}
	return st, nil
}

// portalNums resolves names to their portal numbers, sorted; an unknown
// name matches no record (number 0).
func portalNums(tx *bolt.Tx, names []string) ([]uint32, error) {
	nums := make([]uint32, 0, len(names))
	if tx.Bucket(portals.Bucket) == nil {
		// A read-only open of an archive from before portals: its records
		// are its one portal's.
		return []uint32{portals.Legacy}, nil
	}
	for _, name := range names {
		e, _, err := portals.Get(tx, name)
		if err != nil {
			return nil, err
		}
		nums = append(nums, e.Num)
	}
	slices.Sort(nums)
	return nums, nil
}

// renameChunk is how many records one transaction of a rename reads.
const renameChunk = 256

// RenamePortal renames portal old to new: its registry entry, then the
// "portal" field of every record and revision it stored, through the
// committer in chunks of renameChunk records (memory stays flat). The
// portal's number, and so its frontier, run log and index entries, stay.
// Interrupted, the rename is finished by the next writable Open or by
// calling RenamePortal again with the same names. Errors:
// ErrUnknownPortal, ErrPortalExists, ErrBadPortalName.
func (a *Archive) RenamePortal(ctx context.Context, old, new string) error {
	if a.ReadOnly() {
		return ErrReadOnly
	}
	if err := a.do(ctx, func(tx *bolt.Tx) error { return portals.StartRename(tx, bMeta, old, new) }); err != nil {
		return fmt.Errorf("rename portal %q to %q: %w", old, new, err)
	}
	return a.finishRename(ctx)
}

// finishRename rewrites the records of the rename in progress, if any.
func (a *Archive) finishRename(ctx context.Context) error {
	s := portals.Stores{Meta: bMeta, Records: bRecords, Revisions: bRevisions}
	for done := false; !done; {
		if err := a.do(ctx, func(tx *bolt.Tx) (err error) {
			done, err = portals.RenameChunk(tx, s, renameChunk)
			return err
		}); err != nil {
			return fmt.Errorf("rename portal in %s: %w", a.path, err)
		}
	}
	return nil
}

// migratePortals registers the portals the records carry (schema 5 to
// 6); a record of any portal but the first is moved into its own scope.
func migratePortals(tx *bolt.Tx) error {
	return portals.Migrate(tx, portals.Stores{Meta: bMeta, Records: bRecords, Revisions: bRevisions}, bURLs,
		func(id []byte, num uint32) error {
			d, err := loadDocOnly(tx, string(id))
			if err != nil {
				return err
			}
			hashes := tx.Bucket(bHashes)
			for _, rv := range d.Revs {
				if rv.ContentHash == "" || string(hashes.Get([]byte(rv.ContentHash))) != d.ID {
					continue
				}
				if err := hashes.Delete([]byte(rv.ContentHash)); err != nil {
					return err
				}
				if err := hashes.Put([]byte(portals.HashKey(rv.ContentHash, num)), id); err != nil {
					return err
				}
			}
			d.Portal = num
			b, err := json.Marshal(d)
			if err != nil {
				return err
			}
			if err := tx.Bucket(bDocs).Put(id, b); err != nil {
				return err
			}
			order := tx.Bucket(bOrder)
			hv := order.Get(u64(d.Order))
			if hv == nil {
				return nil // redacted
			}
			h, err := orderhead.Decode(hv)
			if err != nil {
				return err
			}
			h.Portal = num
			return order.Put(u64(d.Order), h.Bytes())
		})
}

// claimFrontier notes that portal num has a Frontier open.
func (a *Archive) claimFrontier(num uint32, name string) error {
	a.fmu.Lock()
	defer a.fmu.Unlock()
	if a.frontiers[num] {
		return fmt.Errorf("portal %q: %w", name, ErrFrontierOpen)
	}
	if a.frontiers == nil {
		a.frontiers = map[uint32]bool{}
	}
	a.frontiers[num] = true
	return nil
}

func (a *Archive) releaseFrontier(num uint32) {
	a.fmu.Lock()
	delete(a.frontiers, num)
	a.fmu.Unlock()
}
