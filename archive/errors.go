package archive

import (
	"errors"
	"fmt"
	"strings"
	"time"

	berrors "go.etcd.io/bbolt/errors"

	"github.com/parc-archiver/parc/archive/internal/filelock"
	"github.com/parc-archiver/parc/archive/internal/guard"
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
	// ErrFrontierOpen is returned by Frontier for a portal whose frontier
	// is open already (Close or Finish it first).
	ErrFrontierOpen = errors.New("the portal's frontier is open already")
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

// openError is what Open reports for err, met opening the archive at path.
func openError(path string, err error) error {
	var dmg *guard.Damage
	switch {
	case errors.Is(err, filelock.ErrTimeout), errors.Is(err, berrors.ErrTimeout):
		return fmt.Errorf("archive %s: %w", path, ErrLocked)
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrVersionMismatch), errors.Is(err, berrors.ErrChecksum):
		return fmt.Errorf("open archive %s: %w (%v)", path, ErrNotArchive, err)
	case errors.As(err, &dmg):
		return err // names the archive and says what to do
	case errors.Is(err, ErrDamaged):
		return fmt.Errorf("open archive %s: %w; run parc verify; restore from parc backup", path, err)
	}
	return fmt.Errorf("open archive %s: %w", path, err)
}

// Holder returns the process writing the archive at path and since when,
// as it noted beside the archive (PATH.pid, information only: the lock is
// the operating system's); ok is false when there is no such note.
func Holder(path string) (pid int, since time.Time, ok bool) { return filelock.Holder(path) }

// ReaderGrace is how long a writer waits for readers to let the archive go.
const ReaderGrace = filelock.ReaderGrace

// ReaderWaiting reports whether another process waits to read the
// archive at path (a parc export, show or serve page held up by this
// process's write lock); parc watch lets go of the archive for it.
func ReaderWaiting(path string) bool { return filelock.Waiting(path, time.Now()) }
