package archive

import (
	"fmt"
	"strconv"

	bolt "go.etcd.io/bbolt"

	"github.com/parc-archiver/parc/archive/internal/identity"
	"github.com/parc-archiver/parc/archive/internal/portals"
)

// A migration upgrades the stored layout from schema from to from+1. Its
// apply runs in one write transaction that also records the new schema
// number, so a migration killed at any moment leaves the file either
// before or after the step, and the next writable open goes on from the
// schema the file says. Steps are appended, never edited or renumbered:
// an archive made by any released parc must keep upgrading the same way.
type migration struct {
	from  int
	what  string
	apply func(tx *bolt.Tx) error
}

// migrations lists every step, oldest first: step i upgrades schema i+1.
func migrations() []migration {
	return []migration{
		// parc 0.3: raw capture bodies are stored as S2 blocks, named in
		// the capture header; the gzip bodies of earlier archives stay
		// readable. No stored data changes: the new number only makes an
		// older parc refuse the file instead of failing on its captures.
		{from: 1, what: "S2 capture bodies beside gzip ones", apply: func(*bolt.Tx) error { return nil }},
		// parc 0.4: the content-hash and near-duplicate entries of the
		// newest records live in memory above a mark (see tail.go); in
		// an older archive every record's entries are in their trees, so
		// the mark covers every record.
		{from: 2, what: "index mark over every record", apply: markAllIndexed},
		// parc 0.5 (issue 17): raw captures are
		// stored as they went over the wire, the body still content-coded
		// (capture header "wire", "decoded"). Captures stored before keep
		// their format and are told apart by the header alone, so no
		// stored data changes: the new number makes an older parc, which
		// would export or re-extract a gzip body as if it were the page,
		// refuse the file instead.
		{from: 3, what: "captures as they went over the wire beside decoded ones", apply: func(*bolt.Tx) error { return nil }},
		// parc 0.5 (issue 16): a CRC-32C of each record and revision,
		// written with it and checked by every export and by verify, so
		// that damage on disk fails the export instead of reaching an
		// analyst. The sums of the stored ones are computed here.
		{from: 4, what: "checksums of records and revisions", apply: frameChecks},
		// parc 0.5 (issue 18): one archive for many portals. A registry
		// numbers the portal names; frontier, run log and content-hash
		// keys of the first portal keep their names, the other portals'
		// are named by their number. The portals the records carry are
		// registered here.
		{from: 5, what: "a registry of portals", apply: func(tx *bolt.Tx) error { return portals.Migrate(tx, stores) }},
		// parc 0.5 (issue 17): captures stored as their WARC records (capture.EncodingWARC). No stored
		// data changes: the number makes an older parc refuse the file instead of failing on them.
		{from: 6, what: "captures as their WARC records beside S2 and gzip ones", apply: func(*bolt.Tx) error { return nil }},
	}
}

// markAllIndexed sets the index mark to the last record: every entry so
// far is in the trees.
func markAllIndexed(tx *bolt.Tx) error {
	m := tx.Bucket(bMeta)
	return m.Put([]byte(metaIndexMark), u64(getU64(m, metaOrderSeq)))
}

// createLayout writes a new archive: its buckets and identity, magic,
// schema and an index mark at zero.
func createLayout(tx *bolt.Tx) error {
	if err := createBuckets(tx); err != nil {
		return err
	}
	m := tx.Bucket(bMeta)
	if err := m.Put([]byte(metaMagic), []byte(magic)); err != nil {
		return err
	}
	if err := markAllIndexed(tx); err != nil {
		return err
	}
	return putSchema(tx, SchemaVersion)
}

// createBuckets creates the buckets an archive of this version has
// (archives of early versions lack some), and gives an archive made
// before identities its own.
func createBuckets(tx *bolt.Tx) error {
	for _, name := range allBuckets {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	return identity.Ensure(tx.Bucket(bMeta))
}

func putSchema(tx *bolt.Tx, v int) error {
	return tx.Bucket(bMeta).Put([]byte(metaSchema), []byte(strconv.Itoa(v)))
}

// migrate brings an archive at schema version up to SchemaVersion, one
// transaction per step, logging each step it applies.
func (a *Archive) migrate(version int) error {
	if err := a.db.Update(createBuckets); err != nil {
		return fmt.Errorf("archive %s: %w", a.path, err)
	}
	for _, m := range migrations() {
		if m.from < version {
			continue
		}
		err := a.db.Update(func(tx *bolt.Tx) error {
			if err := m.apply(tx); err != nil {
				return err
			}
			return putSchema(tx, m.from+1)
		})
		if err != nil {
			return fmt.Errorf("archive %s: upgrade from schema %d (%s): %w", a.path, m.from, m.what, err)
		}
		a.log.Info("archive upgraded", "from", m.from, "to", m.from+1, "step", m.what)
	}
	return nil
}
