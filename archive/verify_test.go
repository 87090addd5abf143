package archive

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/parc-archiver/parc/record"
	bolt "go.etcd.io/bbolt"

	"github.com/parc-archiver/parc/archive/internal/capture"
	"github.com/parc-archiver/parc/archive/internal/checksum"
	"github.com/parc-archiver/parc/archive/internal/responses"
)

// filled returns an archive with two records, one revised, with captures.
func filled(tb testing.TB) (*Archive, []Result) {
	tb.Helper()
	clk := newClock()
	a, _ := openTest(tb, Options{Now: clk.Now, KeepRaw: true, NoSync: true})
	var out []Result
	for i, v := range []struct{ url, body string }{
		{"https://vinachem.com.vn/nd/a.html", "Bài A."},
		{"https://vinachem.com.vn/nd/b.html", "Bài B."},
		{"https://vinachem.com.vn/nd/a.html", "Bài A, đã sửa."},
		{"https://vinachem.com.vn/nd/b.html", "Bài B."},
	} {
		p := page(v.url, article("Tiêu đề "+v.url[len(v.url)-6:], v.body), clk.Now())
		p.Capture = &record.Capture{URL: v.url, Status: 200, Header: http.Header{}, Body: []byte(strings.Repeat(v.body, i+1))}
		out = append(out, mustPut(tb, a, p))
		clk.Advance(time.Hour)
	}
	return a, out
}

func TestVerify(t *testing.T) {
	ctx := context.Background()
	t.Run("good archive", func(t *testing.T) {
		a, _ := filled(t)
		probs, err := a.Verify(ctx)
		if err != nil || len(probs) != 0 {
			t.Fatalf("problems %v, err %v", probs, err)
		}
	})
	tests := []struct {
		name    string
		corrupt func(tx *bolt.Tx, res []Result) error
		want    string
	}{
		{"record text edited", func(tx *bolt.Tx, res []Result) error {
			b := tx.Bucket(bRecords)
			js, err := checksum.Open(b.Get([]byte(res[1].ID)))
			if err != nil {
				return err
			}
			return b.Put([]byte(res[1].ID), checksum.Frame(bytes.Replace(js, []byte("Bài B."), []byte("Bài X."), 1)))
		}, "content hash"},
		{"record damaged on disk", func(tx *bolt.Tx, res []Result) error {
			b := tx.Bucket(bRecords)
			v := bytes.Replace(b.Get([]byte(res[1].ID)), []byte("Bài B."), []byte("Bài X."), 1)
			return b.Put([]byte(res[1].ID), v)
		}, "checksum mismatch"},
		{"revision damaged on disk", func(tx *bolt.Tx, res []Result) error {
			b := tx.Bucket(bRevisions)
			k := revKey(res[0].ID, 1)
			v := append([]byte(nil), b.Get(k)...)
			v[len(v)/2] ^= 0x20
			return b.Put(k, v)
		}, "revision 1: damaged on disk"},
		{"record undecodable", func(tx *bolt.Tx, res []Result) error {
			return tx.Bucket(bRecords).Put([]byte(res[1].ID), []byte("{not json"))
		}, "does not decode"},
		{"url index lost", func(tx *bolt.Tx, res []Result) error {
			return tx.Bucket(bURLs).Delete([]byte("vinachem.com.vn/nd/a.html"))
		}, "url key vinachem.com.vn/nd/a.html"},
		{"revision lost", func(tx *bolt.Tx, res []Result) error {
			return tx.Bucket(bRevisions).Delete(revKey(res[0].ID, 1))
		}, "revision 1 missing"},
		{"capture damaged", func(tx *bolt.Tx, res []Result) error {
			b := tx.Bucket(bCaptures)
			k := []byte(res[0].Record.CaptureID)
			v := append([]byte{}, b.Get(k)...)
			v[len(v)-12] ^= 0xff
			return b.Put(k, v)
		}, "capture"},
		{"other response's capture damaged", func(tx *bolt.Tx, res []Result) error {
			var cc capture.Codec
			e, err := cc.Encode(&record.Capture{URL: "https://vinachem.com.vn/", Status: 200, Wire: true,
				Header: http.Header{"Content-Type": {"text/html"}}, Body: []byte(strings.Repeat("<a href=/nd/a.html>A</a>", 40))}, time.Now())
			if err != nil {
				return err
			}
			e.Value[len(e.Value)-30] ^= 0xff
			_, err = responses.Put(tx, e.ID, "https://vinachem.com.vn/", 200, e.Digest, e.Value)
			return err
		}, "capture <urn:uuid:"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, res := filled(t)
			if err := a.do(ctx, func(tx *bolt.Tx) error { return tc.corrupt(tx, res) }); err != nil {
				t.Fatal(err)
			}
			probs, err := a.Verify(ctx)
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, p := range probs {
				found = found || strings.Contains(p.String(), tc.want)
			}
			if !found {
				t.Errorf("problems %v lack %q", probs, tc.want)
			}
		})
	}
}
