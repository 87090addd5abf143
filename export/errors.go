package export

import (
	"errors"

	"github.com/parc-archiver/parc/internal/warcrec"
)

// Sentinel errors of the export writers (kept beside them so the store's
// errors.go stays its own file).
var (
	// ErrUnknownFormat is returned for an export format other than json,
	// jsonl, csv, atom or warc.
	ErrUnknownFormat = errors.New("unknown export format")
	// ErrUnknownField is returned by ParseFields (and the writers) for a
	// field name that is not in the export record.
	ErrUnknownField = errors.New("unknown export field")
	// ErrBadRecord is returned when a stored record is not the JSON object
	// the writers expect.
	ErrBadRecord = errors.New("malformed stored record")
	// ErrDigestMismatch is returned by WARC when a capture's body does
	// not match the payload digest the archive recorded for it.
	ErrDigestMismatch = warcrec.ErrDigestMismatch
)
