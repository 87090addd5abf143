package archive

import (
	"context"
	"errors"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/parc-archiver/parc/archive/internal/checksum"
	"github.com/parc-archiver/parc/archive/internal/portals"
)

// TestSameCaptureBytesAreNoRevision: a refetch whose bytes are those the
// current revision was read from is unchanged even when this run's
// extraction reads them differently (a new template model or profile):
// an extraction change is never a revision by itself (issue 15 item 6).
// New bytes with new content still are.
func TestSameCaptureBytesAreNoRevision(t *testing.T) {
	at := time.Date(2021, 1, 27, 6, 39, 0, 0, time.UTC)
	a, _ := openTest(t, Options{KeepRaw: true, NoSync: true})
	const u = "https://vinachem.com.vn/nd/tin/1.html"
	put := func(body string, text string, when time.Time) Result {
		p := page(u, article("Bài", text), when)
		p.Capture = benchCapture(u, body, when)
		return mustPut(t, a, p)
	}
	bytes1 := benchBody(1, 2)
	if r := put(bytes1, "Nội dung.", at); r.Outcome != OutcomeNew {
		t.Fatalf("first store: %v", r.Outcome)
	}
	r := put(bytes1, "Nội dung, đọc khác đi.", at.Add(time.Hour))
	if r.Outcome != OutcomeUnchanged || r.Revision != 1 {
		t.Fatalf("same bytes, other extraction: %v revision %d, want unchanged 1", r.Outcome, r.Revision)
	}
	if h := mustGet(t, a, u); h.Record.Body != "Nội dung." || h.Record.LastSeen != "2021-01-27T07:39:00Z" {
		t.Fatalf("record after an unchanged refetch: body %q last_seen %s", h.Record.Body, h.Record.LastSeen)
	}
	// Other bytes with the same content are a refetch of the revision;
	// read otherwise later, they are no revision either.
	bytes3 := benchBody(3, 2)
	if r := put(bytes3, "Nội dung.", at.Add(90*time.Minute)); r.Outcome != OutcomeUnchanged {
		t.Fatalf("other bytes, same content: %v", r.Outcome)
	}
	if r := put(bytes3, "Nội dung, đọc khác nữa.", at.Add(100*time.Minute)); r.Outcome != OutcomeUnchanged {
		t.Fatalf("a refetch's bytes, other extraction: %v, want unchanged", r.Outcome)
	}
	if r := put(benchBody(2, 2), "Nội dung mới.", at.Add(2*time.Hour)); r.Outcome != OutcomeRevised || r.Revision != 2 {
		t.Fatalf("new bytes, new content: %v revision %d, want revised 2", r.Outcome, r.Revision)
	}
}

// TestTemplateModelStored: a portal's model is stored as given, replaced,
// dropped, kept by compact, refused for an unknown portal, and a damaged
// one is reported by read and by verify.
func TestTemplateModelStored(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2021, 1, 27, 6, 39, 0, 0, time.UTC)
	a, path := openTest(t, Options{KeepRaw: true, NoSync: true})
	if m, err := a.TemplateModel(ctx, "vinachem"); m != nil || err != nil {
		t.Fatalf("before any: %q, %v", m, err)
	}
	if err := a.SetTemplateModel(ctx, "vinachem", []byte(`{"v":1}`)); !errors.Is(err, portals.ErrUnknown) {
		t.Fatalf("unregistered portal: %v, want ErrUnknown", err)
	}
	mustPut(t, a, page("https://vinachem.com.vn/nd/tin/1.html", article("Bài", "Nội dung."), at))
	for _, v := range []string{`{"v":1}`, `{"v":2}`} {
		if err := a.SetTemplateModel(ctx, "vinachem", []byte(v)); err != nil {
			t.Fatal(err)
		}
		if m, err := a.TemplateModel(ctx, "vinachem"); string(m) != v || err != nil {
			t.Fatalf("stored %s, read %q, %v", v, m, err)
		}
	}
	compacted := path + ".compact"
	if err := a.Compact(ctx, compacted); err != nil {
		t.Fatal(err)
	}
	if m, err := reopen(t, compacted, Options{ReadOnly: true}).TemplateModel(ctx, "vinachem"); string(m) != `{"v":2}` || err != nil {
		t.Fatalf("after compact: %q, %v", m, err)
	}
	// Damage the stored value by hand: read and verify say so.
	if err := a.do(ctx, func(tx *bolt.Tx) error {
		b := tx.Bucket(portals.TemplatesBucket)
		k, v := b.Cursor().First()
		v = append([]byte(nil), v...)
		v[len(v)-2] ^= 0x20
		return b.Put(k, v)
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.TemplateModel(ctx, "vinachem"); !errors.Is(err, checksum.ErrDamaged) {
		t.Fatalf("damaged model read: %v, want ErrDamaged", err)
	}
	probs, err := a.Verify(ctx)
	if err != nil || len(probs) != 1 || probs[0].Kind != "portal" {
		t.Fatalf("verify of a damaged model: %v, %v", probs, err)
	}
	if err := a.SetTemplateModel(ctx, "vinachem", nil); err != nil {
		t.Fatal(err)
	}
	if m, err := a.TemplateModel(ctx, "vinachem"); m != nil || err != nil {
		t.Fatalf("after drop: %q, %v", m, err)
	}
}
