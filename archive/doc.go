// Package archive is parc's store: one bbolt file that holds every
// article, each of its revisions, its raw captures and the crawl frontier,
// and the export writers that stream it out.
//
// # Model
//
// A record is one article. Its identity is the canonical identity key
// (canon.Key) of its URL, or of its <link rel="canonical"> when that is on
// the same site (host compared without "www."); the fetched URL then
// becomes an alias. The record id is the first 16 hex digits of the
// sha256 of the first identity key and never changes. Storing a page, in
// one write transaction, gives one Outcome:
//
//   - New: no known key and no record with the same content hash;
//   - Alias: the same content (title and body, normalised) under an
//     unknown URL: the URL is added to the existing record;
//   - Unchanged: a known key with the same title, body and byline:
//     last_seen moves, no revision;
//   - Revised: a known key with a different title, body or byline: a new
//     revision, with a field- and paragraph-level Diff; earlier revisions
//     stay, readable through Get and Records(AllRevisions).
//
// Distinct articles are never merged: a 64-bit simhash of body shingles
// only marks near_duplicate_of (Hamming distance ≤ 3, looked up through
// four 16-bit bands).
//
// Each record's export JSON is stored pre-encoded, so exports copy bytes.
// A change sequence grows with each new record or revision; export cursors
// (SinceLast, CurrentSeq, CommitCursor) remember it per name.
//
// # Portals
//
// One archive holds many portals. Each record carries its portal's name
// (Page.Portal, else Options.Portal); a registry in the file gives each
// name a number, stable forever, the first time the portal writes (a
// stored page, a Frontier, a run record), and Portals lists them. The
// first portal (a migrated archive's, else the first registered) owns
// the frontier, run log and content-hash keys the archive had before
// portals; the others' are named by their number (package portals), so
// RenamePortal rewrites only the registry and the records' and
// revisions' "portal" field, in chunks, resumed by the next writable Open
// when interrupted. Ids and the URL index are global: a URL belongs to
// the portal that stored it first. Dedup and revisions stay within a
// portal: the same article stored by another portal is a new record of
// its own, whose near_duplicate_of names the other's. Each portal has its
// own Frontier (several open at once, one per portal), its last 100 run
// records (Runs), and Filter.Portals selects records by the number in
// the order index; an export cursor of a portal set is its own
// (Filter.CursorName).
//
// # Writes and durability
//
// Every write (pages from Writer.Submit and Put, frontier Add and Done,
// meta, cursors) goes through one committer goroutine, in FIFO order,
// committed in batches of Options.BatchSize or every Options.BatchDelay in
// one transaction each. Memory stays flat as the archive grows: a batch
// also ends once its pages hold Options.BatchBytes (raw captures are
// large), writers wait while twice that is queued and not committed, and
// a batch whose writes touched more than 512 B+tree nodes is committed in
// several transactions, in order (keys spread over many buckets touch a
// leaf each once the archive is large, so a transaction's memory would
// otherwise grow with the archive). A page counts as stored only once
// OnResult reports it (after its commit). Because a frontier's Done is
// committed after the pages submitted before it, a crawl killed at any
// moment never finds an article marked done that is not stored: the next
// Frontier resumes the unfinished run and hands out again what was in
// flight.
//
// The content-hash and near-duplicate entries of the newest records (up
// to 8 192) are held in memory and merged into their B+trees in key
// order, several records per rewritten leaf, instead of costing five
// random leaf rewrites per new record. They are derived from the stored
// records, so a crash loses none of them: a writable Open rebuilds them
// from the records above the merge mark kept in the meta bucket.
//
// # Re-extraction
//
// The re-extraction job is package run's; the archive gives it three
// primitives. CurrentCaptures reads the newest stored capture of each
// record's current revision, in pages, each in its own short read
// transaction, so the committer can grow the file in between.
// CompareRevision compares an article re-extracted from one with the
// current revision without writing. ReviseFromCapture stores it through
// the committer as a revision that cites that capture and carries its
// fetch time, unless the record changed since it was read
// (ErrChangedMeanwhile).
//
// # Locking
//
// One process writes at a time, under the operating system's file lock
// (flock, via bbolt): a second writer gets ErrLocked at once (or after
// Options.LockTimeout); read-only opens share the lock with each other and
// wait up to LockTimeout for a writer to leave. The lock is per open file,
// so a second Open in the same process also gets ErrLocked.
//
// # Caveats
//
//   - Read transactions (Records, Captures, Verify) see one snapshot; a
//     long one delays a writer that must grow the file until it ends.
//   - OnResult runs on the committer goroutine: it must be quick and must
//     not call back into the Writer.
//   - Frontier.Next is plain FIFO over the persisted queue (listings and
//     articles interleaved in discovery order), read ahead 64 entries per
//     read transaction. Open one Frontier per portal at a time.
//   - A rename while a crawl of that portal runs under the old name
//     registers the old name again, as a new portal, for the pages it
//     stores afterwards.
//   - The freelist is synced with each commit (bbolt's default): without
//     it, every writing Open would scan the whole file to rebuild it, so a
//     no-change recrawl would take time that grows with the archive.
//   - CommitCursor writes: an export with a cursor needs a read-write open.
package archive
