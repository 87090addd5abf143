package archive

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parc-archiver/parc/record"
	bolt "go.etcd.io/bbolt"
)

// TestCaptureCodec round-trips captures through the pooled codec (the
// same writer and reader reused) and checks that damage is reported.
func TestCaptureCodec(t *testing.T) {
	now := time.Date(2021, 1, 27, 6, 39, 0, 0, time.UTC)
	var cc captureCodec
	tests := []struct {
		name string
		body []byte
	}{
		{"page", benchCapture("https://vinachem.com.vn/nd/tin/00000001.html", benchBody(1, 16), now).Body},
		{"empty", nil},
		{"small", []byte("<p>Hà Nội</p>")},
		{"another page", benchCapture("https://vinachem.com.vn/nd/tin/00000002.html", benchBody(2, 3), now).Body},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := benchCapture("https://vinachem.com.vn/nd/tin/00000001.html", "x", now)
			c.Body = tt.body
			e, err := cc.encodeCapture(c, now)
			if err != nil {
				t.Fatal(err)
			}
			got, digest, err := cc.decodeCapture(e.value)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Body, tt.body) || got.URL != c.URL || got.Status != 200 || !got.FetchedAt.Equal(now) {
				t.Errorf("round trip: %+v", got)
			}
			if digest != e.ref.Digest || digest != payloadDigest(tt.body) {
				t.Errorf("digest %s, ref %s", digest, e.ref.Digest)
			}
			if err := cc.checkCapture(e.value); err != nil {
				t.Errorf("check: %v", err)
			}
			// Flip a byte of the compressed body.
			_, z, err := splitCapture(e.value)
			if err != nil {
				t.Fatal(err)
			}
			bad := append([]byte{}, e.value...)
			bad[len(bad)-len(z)/2-1] ^= 0xff
			if _, _, err := cc.decodeCapture(bad); err == nil {
				t.Error("decode of a damaged capture succeeded")
			}
			if err := cc.checkCapture(bad); err == nil {
				t.Error("check of a damaged capture succeeded")
			}
			if _, _, err := cc.decodeCapture(e.value[:3]); err == nil || !strings.Contains(err.Error(), "capture header") {
				t.Errorf("truncated capture: %v", err)
			}
		})
	}
}

// legacyGzipCapture encodes a capture as archives before 0.3.0 stored it:
// the header without an encoding, then the body as one gzip member.
func legacyGzipCapture(t *testing.T, c *record.Capture) []byte {
	t.Helper()
	hb, err := json.Marshal(captureMeta{URL: c.URL, Method: "GET", RequestHeader: c.RequestHeader, Status: c.Status,
		Header: c.Header, FetchedAt: c.FetchedAt.UTC(), Digest: payloadDigest(c.Body), Size: len(c.Body)})
	if err != nil {
		t.Fatal(err)
	}
	v := binary.AppendUvarint(nil, uint64(len(hb)))
	v = append(v, hb...)
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	if _, err := zw.Write(c.Body); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return append(v, z.Bytes()...)
}

// TestCaptureCodecReadsGzip: captures written before S2 (gzip bodies, no
// encoding in the header) decode and verify, and damage is still found.
func TestCaptureCodecReadsGzip(t *testing.T) {
	now := time.Date(2021, 1, 27, 6, 39, 0, 0, time.UTC)
	var cc captureCodec
	c := benchCapture("https://vinachem.com.vn/nd/tin/00000001.html", benchBody(1, 16), now)
	v := legacyGzipCapture(t, c)
	got, digest, err := cc.decodeCapture(v)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Body, c.Body) || digest != payloadDigest(c.Body) {
		t.Errorf("gzip capture decoded to %d bytes, digest %s", len(got.Body), digest)
	}
	if err := cc.checkCapture(v); err != nil {
		t.Errorf("check: %v", err)
	}
	bad := append([]byte{}, v...)
	bad[len(bad)-100] ^= 0xff
	if _, _, err := cc.decodeCapture(bad); err == nil {
		t.Error("decode of a damaged gzip capture succeeded")
	}
	if err := cc.checkCapture(bad); err == nil {
		t.Error("check of a damaged gzip capture succeeded")
	}
	// A header naming an encoding this version does not know is an error,
	// not a body read as something else.
	hb, err := json.Marshal(captureMeta{URL: c.URL, Digest: payloadDigest(c.Body), Size: len(c.Body), Encoding: "zstd"})
	if err != nil {
		t.Fatal(err)
	}
	unknown := append(binary.AppendUvarint(nil, uint64(len(hb))), hb...)
	if _, _, err := cc.decodeCapture(append(unknown, 0)); err == nil || !strings.Contains(err.Error(), `unknown body encoding "zstd"`) {
		t.Errorf("unknown encoding: %v", err)
	}
}

// TestSchema1ArchiveUpgrades: an archive written by parc 0.2 (schema 1,
// gzip captures, every index entry in its tree) opens read-only as it
// is, is marked with the current schema by the first writable open, and
// then holds gzip and S2 captures that both read back and verify.
func TestSchema1ArchiveUpgrades(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2021, 1, 27, 6, 39, 0, 0, time.UTC)
	a, path := openTest(t, Options{KeepRaw: true})
	oldCap := benchCapture("https://vinachem.com.vn/nd/tin/00000001.html", benchBody(1, 4), at)
	p := page(oldCap.URL, article("Cũ", "Bài cũ."), at)
	p.Capture = oldCap
	mustPut(t, a, p)
	// Rewrite the archive as parc 0.2 left it.
	if err := a.do(ctx, func(tx *bolt.Tx) error {
		caps := tx.Bucket(bCaptures)
		var ids [][]byte
		if err := caps.ForEach(func(k, _ []byte) error { ids = append(ids, bytes.Clone(k)); return nil }); err != nil {
			return err
		}
		if len(ids) != 1 {
			return fmt.Errorf("%d captures, want 1", len(ids))
		}
		if err := caps.Put(ids[0], legacyGzipCapture(t, oldCap)); err != nil {
			return err
		}
		// parc 0.2 kept every index entry in its tree, and had no mark.
		if err := writeTailToTrees(tx, a.tail); err != nil {
			return err
		}
		if err := tx.Bucket(bMeta).Delete([]byte(metaIndexMark)); err != nil {
			return err
		}
		return tx.Bucket(bMeta).Put([]byte(metaSchema), []byte("1"))
	}); err != nil {
		t.Fatal(err)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	schema := func(a *Archive) string {
		t.Helper()
		var v string
		if err := a.db.View(func(tx *bolt.Tx) error { v = string(tx.Bucket(bMeta).Get([]byte(metaSchema))); return nil }); err != nil {
			t.Fatal(err)
		}
		return v
	}
	ro := reopen(t, path, Options{ReadOnly: true})
	if v := schema(ro); v != "1" {
		t.Errorf("read-only open: schema %s, want 1 (untouched)", v)
	}
	ro.Close()

	a = reopen(t, path, Options{KeepRaw: true})
	if v := schema(a); v != strconv.Itoa(SchemaVersion) {
		t.Errorf("writable open: schema %s, want %d", v, SchemaVersion)
	}
	newCap := benchCapture("https://vinachem.com.vn/nd/tin/00000002.html", benchBody(2, 4), at)
	p = page(newCap.URL, article("Mới", "Bài mới."), at)
	p.Capture = newCap
	mustPut(t, a, p)
	got := map[string][]byte{}
	if err := a.Captures(ctx, Filter{}, func(c *record.Capture, _, digest string) error {
		if digest != payloadDigest(c.Body) {
			t.Errorf("%s: digest %s", c.URL, digest)
		}
		got[c.URL] = c.Body
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []*record.Capture{oldCap, newCap} {
		if !bytes.Equal(got[c.URL], c.Body) {
			t.Errorf("%s: read back %d bytes, want %d", c.URL, len(got[c.URL]), len(c.Body))
		}
	}
	if probs, err := a.Verify(ctx); err != nil || len(probs) != 0 {
		t.Errorf("verify: %v %v", probs, err)
	}
}

// TestCaptureIDsAreTimeOrdered: captures stored one after the other get
// ids in ascending order, so they are appended at the end of their bucket
// rather than inserted at random places (newCaptureUUID).
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
