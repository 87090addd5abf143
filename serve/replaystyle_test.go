package serve

import (
	"net/http"
	"strings"
	"testing"

	"github.com/parc-archiver/parc/record"
)

// TestReplayKeepsInlineStyles: a page whose inline CSS is most of it
// replays with that CSS (the extraction parse leaves such text out; the
// replay's parse must not), and still without its scripts.
func TestReplayKeepsInlineStyles(t *testing.T) {
	css := strings.Repeat(".story h1 { font-family: Georgia, serif; color: #222 }\n", 100)
	page := `<!DOCTYPE html><html><head><title>T</title><style>` + css + `</style><script>var big = "` + strings.Repeat("x", 2000) +
		`";</script></head><body><h1>T</h1><p>Text.</p></body></html>`
	c := &record.Capture{URL: "https://vinachem.com.vn/tin/1.html", Method: "GET", Status: 200, Body: []byte(page),
		Header: http.Header{"Content-Type": {"text/html; charset=utf-8"}}}
	body, ct, err := replayBody(c)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(ct, "text/html") || !strings.Contains(string(body), css) {
		t.Errorf("replay (%s) lost the page's inline CSS:\n%.300s", ct, body)
	}
	if strings.Contains(string(body), "<script") || strings.Contains(string(body), "var big") {
		t.Errorf("replay kept the script:\n%.300s", body)
	}
}
