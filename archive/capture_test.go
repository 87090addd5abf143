package archive

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"
)

// TestCaptureIDsAreTimeOrdered: captures stored one after the other get
// ids in ascending order, so they are appended at the end of their bucket
// rather than inserted at random places (capture.NewID).
func TestCaptureIDsAreTimeOrdered(t *testing.T) {
	at := time.Date(2021, 1, 27, 6, 39, 0, 0, time.UTC)
	a, _ := openTest(t, Options{KeepRaw: true, NoSync: true})
	var ids []string
	for i := range 30 {
		c := benchCapture(fmt.Sprintf("https://vinachem.com.vn/nd/tin/%08d.html", i), benchBody(i, 2), at)
		p := page(c.URL, article(fmt.Sprintf("Bài %d", i), fmt.Sprintf("Nội dung %d.", i)), at)
		p.Capture = c
		mustPut(t, a, p)
		h, err := a.Get(context.Background(), c.URL)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, h.Record.CaptureID)
	}
	for i := 1; i < len(ids); i++ {
		if ids[i] <= ids[i-1] {
			t.Fatalf("capture %d id %s does not sort after %s", i, ids[i], ids[i-1])
		}
	}
}

// TestCaptureByID: a stored capture comes back by its id with its body;
// an unknown id and a redacted record's capture are ErrNotFound.
func TestCaptureByID(t *testing.T) {
	at := time.Date(2021, 1, 27, 6, 39, 0, 0, time.UTC)
	a, _ := openTest(t, Options{KeepRaw: true, NoSync: true})
	c := benchCapture("https://vinachem.com.vn/nd/tin/1.html", benchBody(1, 2), at)
	p := page(c.URL, article("Bài", "Nội dung."), at)
	p.Capture = c
	r := mustPut(t, a, p)
	ctx := context.Background()
	id := mustGet(t, a, r.ID).Record.CaptureID
	got, err := a.Capture(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got.URL != c.URL || string(got.Body) != string(c.Body) {
		t.Fatalf("capture %s: got %s with %d bytes, want %s with %d", id, got.URL, len(got.Body), c.URL, len(c.Body))
	}
	if _, err := a.Capture(ctx, "<urn:uuid:00000000-0000-0000-0000-000000000000>"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown capture: %v, want ErrNotFound", err)
	}
	if err := a.Redact(ctx, r.ID, "test"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Capture(ctx, id); !errors.Is(err, ErrNotFound) {
		t.Fatalf("capture of a redacted record: %v, want ErrNotFound", err)
	}
}
