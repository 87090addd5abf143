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

// TestRecordsSeqWindow: AfterSeq and UpToSeq select the records whose
// change sequence is in the window; a revision moves its record past it.
func TestRecordsSeqWindow(t *testing.T) {
	at := time.Date(2021, 1, 27, 6, 39, 0, 0, time.UTC)
	a, _ := openTest(t, Options{NoSync: true})
	for i := range 4 {
		mustPut(t, a, page(fmt.Sprintf("https://vinachem.com.vn/tin/%d.html", i), article(fmt.Sprintf("Bài %d", i), fmt.Sprintf("Nội dung %d.", i)), at))
	}
	titles := func(f Filter) string {
		var out []string
		for _, r := range records(t, a, f) {
			out = append(out, r.Title)
		}
		return fmt.Sprint(out)
	}
	if got := titles(Filter{AfterSeq: 1, UpToSeq: 3}); got != "[Bài 1 Bài 2]" {
		t.Errorf("(1, 3]: %s", got)
	}
	mustPut(t, a, page("https://vinachem.com.vn/tin/0.html", article("Bài 0", "Nội dung mới."), at.Add(time.Hour)))
	if got := titles(Filter{AfterSeq: 4}); got != "[Bài 0]" {
		t.Errorf("after 4, with record 0 revised: %s", got)
	}
	if got := titles(Filter{}); got != "[Bài 0 Bài 1 Bài 2 Bài 3]" {
		t.Errorf("no window: %s", got)
	}
}
