package portals

import (
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/parc-archiver/parc/archive/internal/checksum"
)

// TemplatesBucket maps a portal's number (4 bytes, big endian) to its
// template model (issue 15 item 6): bytes the archive keeps without
// interpreting, in a checksum frame. A model is derived from the
// portal's captures: a damaged or missing one is rebuilt, never needed.
var TemplatesBucket = []byte("templates")

// Template returns the template model stored for name; nil when none (or
// name is not registered). A damaged value is checksum.ErrDamaged.
func Template(tx *bolt.Tx, name string) ([]byte, error) {
	e, ok, err := Get(tx, name)
	b := tx.Bucket(TemplatesBucket)
	if err != nil || !ok || b == nil {
		return nil, err
	}
	v := b.Get(numKey(e.Num))
	if v == nil {
		return nil, nil
	}
	m, err := checksum.Open(v)
	if err != nil {
		return nil, fmt.Errorf("template model of portal %q: %w", name, err)
	}
	return append([]byte(nil), m...), nil
}

// PutTemplate stores m as name's template model, replacing the one
// before; nil deletes it. name must be registered.
func PutTemplate(tx *bolt.Tx, name string, m []byte) error {
	e, ok, err := Get(tx, name)
	switch {
	case err != nil:
		return err
	case !ok:
		return fmt.Errorf("template model of portal %q: %w", name, ErrUnknown)
	}
	b, err := tx.CreateBucketIfNotExists(TemplatesBucket)
	if err != nil {
		return err
	}
	if m == nil {
		return b.Delete(numKey(e.Num))
	}
	return b.Put(numKey(e.Num), checksum.Frame(m))
}

func numKey(num uint32) []byte { return binary.BigEndian.AppendUint32(nil, num) }
