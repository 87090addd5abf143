package responses

import (
	"context"
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// A response identical to its URL's last kept one (status and digest) is
// not stored again; a changed one, or the same payload under another
// status, is.
func TestPutKeepsIdenticalResponsesOnce(t *testing.T) {
	db, err := bolt.Open(filepath.Join(t.TempDir(), "t.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	steps := []struct {
		id, url string
		status  int
		digest  string
		stored  bool
	}{
		{"a1", "https://x/", 200, "sha1:A", true},
		{"a2", "https://x/", 200, "sha1:A", false},
		{"a3", "https://x/list", 200, "sha1:A", true},
		{"a4", "https://x/", 200, "sha1:B", true},
		{"a5", "https://x/", 503, "sha1:B", true},
		{"a6", "https://x/", 503, "sha1:B", false},
	}
	for _, s := range steps {
		err := db.Update(func(tx *bolt.Tx) error {
			got, err := Put(tx, s.id, s.url, s.status, s.digest, []byte(s.id))
			if got != s.stored {
				t.Errorf("%s %s %d %s: stored %v, want %v", s.id, s.url, s.status, s.digest, got, s.stored)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	var ids []string
	db.View(func(tx *bolt.Tx) error {
		return Each(context.Background(), tx, func(id string, v []byte) error { ids = append(ids, id+"="+string(v)); return nil })
	})
	if want := "[a1=a1 a3=a3 a4=a4 a5=a5]"; fmtSlice(ids) != want {
		t.Errorf("stored %v, want %s", ids, want)
	}
}

func fmtSlice(s []string) string {
	out := "["
	for i, v := range s {
		if i > 0 {
			out += " "
		}
		out += v
	}
	return out + "]"
}
