package archive

import (
	"bytes"
	"strings"
	"testing"
	"time"
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
			// Flip a byte of the compressed body's last block.
			bad := append([]byte{}, e.value...)
			bad[len(bad)-9] ^= 0xff
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
