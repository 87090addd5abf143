package archive

import (
	"context"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/parc-archiver/parc/archive/internal/portals"
)

// Errors of RenamePortal.
var (
	ErrUnknownPortal = portals.ErrUnknown
	ErrPortalExists  = portals.ErrExists
	ErrBadPortalName = portals.ErrBadName
)

// PortalInfo is one portal the archive holds records or a frontier of:
// its name, record count, newest first_seen and frontier state.
type PortalInfo = portals.Info

// stores names the buckets package portals reads and rewrites.
var stores = portals.Stores{Meta: bMeta, Records: bRecords, Revisions: bRevisions, Docs: bDocs, Order: bOrder, Hashes: bHashes, URLs: bURLs}

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
func (a *Archive) Portals(ctx context.Context) (ps []PortalInfo, err error) {
	err = a.read(ctx, "portals", func(tx *bolt.Tx) error {
		ps, err = portals.Infos(tx, bMeta, metaFrontier)
		return err
	})
	return ps, err
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
	// Checked first in a read transaction: a refused rename is no commit
	// error (which a later Flush would report).
	if err := a.view(ctx, func(tx *bolt.Tx) error { return portals.CanRename(tx, bMeta, old, new) }); err != nil {
		return fmt.Errorf("rename portal %q to %q: %w", old, new, err)
	}
	if err := a.do(ctx, func(tx *bolt.Tx) error { return portals.StartRename(tx, bMeta, old, new) }); err != nil {
		return fmt.Errorf("rename portal %q to %q: %w", old, new, err)
	}
	return a.finishRename(func(fn func(*bolt.Tx) error) error { return a.do(ctx, fn) })
}

// finishRename rewrites the records of the rename in progress, if any,
// in transactions update runs (the committer's, or before it starts).
func (a *Archive) finishRename(update func(func(*bolt.Tx) error) error) error {
	for done := false; !done; {
		if err := update(func(tx *bolt.Tx) (err error) {
			done, err = portals.RenameChunk(tx, stores, renameChunk)
			return err
		}); err != nil {
			return fmt.Errorf("rename portal in %s: %w", a.path, err)
		}
	}
	return nil
}

// TemplateModel returns portal's template model: bytes the archive keeps
// without interpreting (issue 15 item 6); nil when none is stored.
func (a *Archive) TemplateModel(ctx context.Context, portal string) (m []byte, err error) {
	err = a.read(ctx, "template model", func(tx *bolt.Tx) error { m, err = portals.Template(tx, portal); return err })
	return m, err
}

// SetTemplateModel stores m as portal's template model, replacing the
// one before; nil drops it. It returns once committed (ErrReadOnly on a
// read-only archive).
func (a *Archive) SetTemplateModel(ctx context.Context, portal string, m []byte) error {
	return a.do(ctx, func(tx *bolt.Tx) error { return portals.PutTemplate(tx, portal, m) })
}
