package serve

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

// Results come newest first, articles without a date last.
func TestSearchNewestFirst(t *testing.T) {
	path := filepath.Join(t.TempDir(), "parc.db")
	at := time.Date(2024, 3, 3, 9, 0, 0, 0, time.UTC)
	var ids []string // in the order a search must list them
	for _, c := range []struct {
		url       string
		published time.Time
	}{
		{"https://vinachem.com.vn/tin/moi.html", time.Date(2024, 3, 2, 8, 0, 0, 0, time.UTC)},
		{"https://vinachem.com.vn/tin/cu.html", time.Date(2023, 1, 5, 8, 0, 0, 0, time.UTC)},
		{"https://vinachem.com.vn/tin/khong-ngay.html", time.Time{}},
	} {
		p := articlePage(c.url, "Hóa chất "+c.url, "Nội dung về hóa chất của "+c.url+".", at)
		p.Article.Published = c.published
		ids = append(ids, putPage(t, path, p))
	}
	ix, err := OpenIndex(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if err := ix.Sync(context.Background(), &Opener{Path: path}); err != nil {
		t.Fatal(err)
	}
	res, err := ix.Search(context.Background(), Query{Text: "hoa chat", Page: 1})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, h := range res.Hits {
		got = append(got, h.ID)
	}
	if len(got) != 3 || got[0] != ids[0] || got[1] != ids[1] || got[2] != ids[2] {
		t.Errorf("order %v, want %v (newest, older, no date)", got, ids)
	}
}
