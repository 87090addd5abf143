// Package tail is the in-memory part of the archive's content-hash and
// near-duplicate indexes: the entries of the newest records, which the
// archive holds here instead of in its B+trees until it merges them into
// the trees in key order (archive/tail.go says why and how).
//
// # Model
//
// A Tail holds, for each of its records, the record's simhash filed under
// its four 16-bit bands (a list per band value kept sorted by id, so
// looking up the first records of a band costs what is read of it), and the content hashes indexed to a
// record. A mark splits the archive's records by Order: those above it
// belong in the tail (Holds), the others are in the trees.
//
// AddSim, RemoveSim, SetHash and DeleteHash record how to revert what they
// changed: Commit forgets that once the archive's write transaction has
// committed, Rollback reverts the changes when it did not. PutHash records
// nothing; it is for rebuilding a tail from the stored records, followed
// by a Commit.
//
// # Caveats
//
//   - A Tail is not safe for concurrent use: the archive's committer
//     goroutine is its only user (Verify builds its own).
//   - Records are kept in an append-only slice: a record whose simhash
//     changes is appended again and its old entry blanked. Due reports a
//     tail that has grown to twice its bound even when it holds few
//     records, so that a merge (and a New tail) keeps memory bounded.
//   - A content hash in the archive's form ("sha256:" and 64 lower-case
//     hex digits, with "@N" after it when scoped to portal N > 1) is kept
//     as its 32 bytes and N, any other as a string; both behave the same.
//   - Band returns a band's records sorted by id, the order in which the
//     archive walks the same band in its tree.
package tail
