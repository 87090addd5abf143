package archive

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// An id prefix names a record when one id starts with it; several make an
// AmbiguousIDError listing them; none is ErrNotFound.
func TestGetByIDPrefix(t *testing.T) {
	clock := newClock()
	a, _ := openTest(t, Options{Now: clock.Now})
	var ids []string
	for i := range 800 { // ids are hashes: 800 of them share 4-digit prefixes (about 5 pairs expected)
		r := mustPut(t, a, page(fmt.Sprintf("https://vinachem.com.vn/nd/tin/%08d.html", i),
			article(fmt.Sprintf("Bài %d", i), fmt.Sprintf("Nội dung riêng của bài số %d, không trùng với bài nào khác.", i)), clock.Now()))
		ids = append(ids, r.ID)
	}
	// A prefix unique among the ids, and one shared by at least two.
	unique, shared := "", ""
	for _, id := range ids {
		for n := 4; n < 16; n++ {
			if c := countPrefix(ids, id[:n]); c == 1 && unique == "" {
				unique = id[:n]
			} else if c > 1 && shared == "" {
				shared = id[:n]
			}
		}
	}
	if unique == "" || shared == "" {
		t.Fatalf("test data: unique prefix %q, shared prefix %q", unique, shared)
	}
	if h := mustGet(t, a, unique); !strings.HasPrefix(h.Record.ID, unique) {
		t.Errorf("prefix %s gave %s", unique, h.Record.ID)
	}
	_, err := a.Get(context.Background(), shared)
	var amb *AmbiguousIDError
	if !errors.As(err, &amb) || len(amb.Matches) != countPrefix(ids, shared) {
		t.Fatalf("prefix %s: %v, want an AmbiguousIDError with its %d matches", shared, err, countPrefix(ids, shared))
	}
	for _, m := range amb.Matches {
		if !strings.HasPrefix(m, shared) || !strings.Contains(err.Error(), m) {
			t.Errorf("match %s of %s not listed right: %v", m, shared, err)
		}
	}
	if _, err := a.Get(context.Background(), unique[:3]+"x"); !errors.Is(err, ErrNotFound) {
		t.Errorf("not hex: %v, want ErrNotFound", err)
	}
	absent := "0000"
	for countPrefix(ids, absent) > 0 {
		absent = "1111"
	}
	if _, err := a.Get(context.Background(), absent); !errors.Is(err, ErrNotFound) {
		t.Errorf("prefix %s matching nothing: %v, want ErrNotFound", absent, err)
	}
}

func countPrefix(ids []string, p string) int {
	n := 0
	for _, id := range ids {
		if strings.HasPrefix(id, p) {
			n++
		}
	}
	return n
}
