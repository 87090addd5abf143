package checksum

import (
	"errors"
	"testing"
)

func TestFrameOpen(t *testing.T) {
	js := []byte(`{"id":"a","body":"Tập đoàn Hóa chất"}`)
	st := Frame(js)
	if got, err := Open(st); err != nil || string(got) != string(js) {
		t.Fatalf("open(frame) = %q, %v", got, err)
	}
	if got, err := Open(js); err != nil || string(got) != string(js) {
		t.Errorf("a bare value of an older archive: %q, %v", got, err)
	}
	for i := range st {
		for _, bit := range []byte{0x01, 0x80} {
			d := append([]byte(nil), st...)
			d[i] ^= bit
			if _, err := Open(d); !errors.Is(err, ErrDamaged) {
				t.Fatalf("bit %#x flipped at %d: %v, want ErrDamaged", bit, i, err)
			}
		}
	}
	for _, bad := range [][]byte{nil, {framed, 1, 2}, {'x'}} {
		if _, err := Open(bad); !errors.Is(err, ErrDamaged) {
			t.Errorf("Open(%q): %v", bad, err)
		}
	}
}
