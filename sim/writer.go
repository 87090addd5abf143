package sim

import (
	"strconv"
	"sync"
	"time"
)

// buf is a page being rendered.
type buf struct{ b []byte }

var bufPool = sync.Pool{New: func() any { return &buf{b: make([]byte, 0, 64<<10)} }}

func getBuf() *buf { w := bufPool.Get().(*buf); w.b = w.b[:0]; return w }

func putBuf(w *buf) {
	if cap(w.b) <= 1<<20 {
		bufPool.Put(w)
	}
}

// s writes raw HTML.
func (w *buf) s(parts ...string) {
	for _, x := range parts {
		w.b = append(w.b, x...)
	}
}

// t writes escaped text.
func (w *buf) t(x string) {
	last := 0
	for i := 0; i < len(x); i++ {
		var rep string
		switch x[i] {
		case '<':
			rep = "&lt;"
		case '>':
			rep = "&gt;"
		case '&':
			rep = "&amp;"
		case '"':
			rep = "&#34;"
		case '\'':
			rep = "&#39;"
		default:
			continue
		}
		w.b = append(w.b, x[last:i]...)
		w.b = append(w.b, rep...)
		last = i + 1
	}
	w.b = append(w.b, x[last:]...)
}

func (w *buf) i(n int) { w.b = strconv.AppendInt(w.b, int64(n), 10) }

func (w *buf) dmy(t time.Time) { w.b = appendDMY(w.b, t.In(vnZone)) }
