package portals

import (
	"errors"
	"testing"
)

// The first portal keeps the names the archive had before portals; the
// others' are derived from their number.
func TestNames(t *testing.T) {
	l1, l3 := LayoutOf(Legacy, []byte("urls")), LayoutOf(3, []byte("urls"))
	if string(l1.Queue) != "fqueue" || string(l1.GaveUp) != "fgaveup" || string(l3.Seen) != "fseen.3" || string(l3.Failed) != "ffailed.3" || string(l3.URLs) != "urls" {
		t.Errorf("layouts %s %s %s %s", l1.Queue, l1.GaveUp, l3.Seen, l3.Failed)
	}
	if string(RunsBucket(0)) != "runs" || string(RunsBucket(2)) != "runs.2" || MetaKey("frontier", 1) != "frontier" || MetaKey("seq.queue", 4) != "seq.queue.4" {
		t.Error("run log or meta key names")
	}
	if HashKey("sha256:ab", 1) != "sha256:ab" || HashKey("sha256:ab", 0) != "sha256:ab" || HashKey("sha256:ab", 12) != "sha256:ab@12" {
		t.Error("hash keys")
	}
}

func TestCheckName(t *testing.T) {
	for name, ok := range map[string]bool{"vinachem": true, "Hóa chất Đức Giang": true, "dpm.vn:8080": true,
		"": false, " x": false, "x\n": false, "a\x00b": false, string([]byte{0xff}): false} {
		if err := CheckName(name); (err == nil) != ok || err != nil && !errors.Is(err, ErrBadName) {
			t.Errorf("CheckName(%q) = %v", name, err)
		}
	}
}
