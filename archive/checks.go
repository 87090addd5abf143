package archive

import (
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/parc-archiver/parc/archive/internal/checksum"
)

// putRecord stores a record's JSON framed with its checksum.
func putRecord(tx *bolt.Tx, id string, js []byte) error {
	return tx.Bucket(bRecords).Put([]byte(id), checksum.Frame(js))
}

// openStored checks a stored record or revision against its checksum and
// returns its JSON; a mismatch says what to do.
func openStored(stored []byte) ([]byte, error) {
	js, err := checksum.Open(stored)
	if err != nil {
		return nil, fmt.Errorf("%w: run parc verify; restore from parc backup", err)
	}
	return js, nil
}

// frameChecks frames every record and revision with its checksum (schema
// 4 to 5: archives before had none).
func frameChecks(tx *bolt.Tx) error {
	for _, name := range [][]byte{bRecords, bRevisions} {
		if err := checksum.FrameAll(tx.Bucket(name)); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return nil
}
