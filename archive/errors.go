package archive

import (
	"errors"
	"strings"

	"github.com/parc-archiver/parc/archive/internal/pagefile"
)

// Sentinel errors callers branch on (errors.Is).
var (
	// ErrLocked means another process holds the archive's file lock.
	ErrLocked = errors.New("archive is in use by another parc process")
	// ErrSchema means the archive was written by a newer or unknown
	// version of parc.
	ErrSchema = errors.New("unsupported archive schema version")
	// ErrNotArchive means the file is not a parc archive.
	ErrNotArchive = errors.New("not a parc archive")
	// ErrReadOnly is returned by writes to an archive opened read-only.
	ErrReadOnly = errors.New("archive is open read-only")
	// ErrClosed is returned by calls on a closed archive, writer or frontier.
	ErrClosed = errors.New("archive is closed")
	// ErrNotFound is returned by Get for an unknown id or URL.
	ErrNotFound = errors.New("not found in archive")
	// ErrInvalidPage is returned for a Page that cannot become a record
	// (no article, no title or body, a bad URL).
	ErrInvalidPage = errors.New("invalid page")
	// ErrChangedMeanwhile is reported by ReviseFromCapture for a record
	// that a write changed after CurrentCaptures read it.
	ErrChangedMeanwhile = errors.New("record changed while being re-extracted; run reextract again")
	// ErrDamaged means the archive's file is damaged: its structure (found
	// before bbolt opens it, or as a panic or fault bbolt met) or a
	// record's checksum.
	ErrDamaged = pagefile.ErrDamaged
)

// AmbiguousIDError is returned by Get for an id prefix that several
// records' ids start with.
type AmbiguousIDError struct {
	Prefix  string
	Matches []string // the first few matching ids, in order
	More    bool     // more records match than Matches lists
}

func (e *AmbiguousIDError) Error() string {
	more := ""
	if e.More {
		more = ", …"
	}
	return "id prefix " + e.Prefix + " is ambiguous: " + strings.Join(e.Matches, ", ") + more + " (give more digits)"
}
