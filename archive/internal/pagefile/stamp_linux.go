package pagefile

import (
	"os"
	"syscall"
)

// stampOf returns the stamp of a file as fi describes it and m.
func stampOf(fi os.FileInfo, m Meta) (stamp, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return stamp{}, false
	}
	return stamp{dev: uint64(st.Dev), ino: st.Ino, size: fi.Size(),
		mtime: st.Mtim.Nano(), ctime: st.Ctim.Nano(), meta: m}, true
}
