package termline

import (
	"bytes"
	"testing"
)

// On a terminal, output goes above the status line: the line is cleared,
// the output written, the line drawn again; off a terminal, writes pass
// as they are and Set draws nothing.
func TestOutputGoesAboveTheStatusLine(t *testing.T) {
	var b bytes.Buffer
	l := &Line{w: &b, term: true}
	l.Set("crawl: 3 pages")
	if _, err := l.Write([]byte("level=WARN msg=x")); err != nil {
		t.Fatal(err)
	}
	l.Set("")
	want := "\r\033[Kcrawl: 3 pages" + "\r\033[Klevel=WARN msg=x\ncrawl: 3 pages" + "\r\033[K"
	if b.String() != want {
		t.Errorf("terminal got %q\nwant %q", b.String(), want)
	}
	b.Reset()
	p := New(&b) // a buffer is no terminal
	p.Set("crawl: 3 pages")
	p.Write([]byte("summary\n"))
	if p.Terminal() || b.String() != "summary\n" {
		t.Errorf("off a terminal: %v, %q", p.Terminal(), b.String())
	}
}
