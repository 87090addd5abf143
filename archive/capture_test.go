package archive

import (
	"context"
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
