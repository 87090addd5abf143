package pagefile

import (
	"fmt"
	"os"
	"strconv"
	"time"
)

// A file found sound is stamped: PATH.checked records what the file was
// when Walk last passed it (its device, inode, size, modification and
// change times, and the meta it was read at). An open that finds the
// file still so skips the walk: the file has not been written since (any
// write, truncation, copy or restore changes its change time, which no
// user can set), and bbolt itself only writes sound pages. parc verify
// always walks.
//
// A change time less than settle old is not stamped: the file system's
// clock is coarse, so a write right after the walk could leave the
// change time as it was. Where change times have sub-second digits they
// move at the kernel's tick (at most 10 ms): fineSettle. Where they are
// whole seconds (ext4's small inodes, some network file systems):
// stampSettle.
const (
	stampSettle = 2 * time.Second
	fineSettle  = 50 * time.Millisecond
)

// settle is how old a change time must be to be stamped.
func settle(ctime int64) time.Duration {
	if ctime%int64(time.Second) != 0 {
		return fineSettle
	}
	return stampSettle
}

// stampSuffix names the stamp beside the archive.
const stampSuffix = ".checked"

// stamp is what PATH.checked records.
type stamp struct {
	dev, ino     uint64
	size         int64
	mtime, ctime int64 // nanoseconds since 1970
	meta         Meta
}

func (s stamp) String() string {
	return fmt.Sprintf("parc-checked 1 %d %d %d %d %d %d %d %d %d %d", s.dev, s.ino, s.size, s.mtime, s.ctime,
		s.meta.PageSize, s.meta.Root, s.meta.Freelist, s.meta.Pages, s.meta.TxID)
}

// stamped reports whether path's stamp matches the file as it is (fi)
// and m.
func stamped(path string, fi os.FileInfo, m Meta) bool {
	s, ok := stampOf(fi, m)
	if !ok {
		return false
	}
	b, err := os.ReadFile(path + stampSuffix)
	return err == nil && string(b) == s.String()+"\n"
}

// writeStamp stamps path as sound (best effort: a directory parc may not
// write, or a failed write, leaves the next open to walk).
func writeStamp(path string, fi os.FileInfo, m Meta, now time.Time) {
	s, ok := stampOf(fi, m)
	if !ok || now.Sub(time.Unix(0, s.ctime)) < settle(s.ctime) {
		return
	}
	tmp := path + stampSuffix + ".tmp-" + strconv.Itoa(os.Getpid())
	if err := os.WriteFile(tmp, []byte(s.String()+"\n"), 0o644); err != nil {
		os.Remove(tmp)
		return
	}
	if err := os.Rename(tmp, path+stampSuffix); err != nil {
		os.Remove(tmp)
	}
}

// StampWritten stamps the file at path as sound once its only writer,
// this process, closed it without damage (bbolt writes sound pages, and
// the file was checked when the writer opened it), so that the next open
// skips the walk. It waits with sleep, fineSettle at most, until the
// file's change time has settled (a file with whole-second change times
// is left for the next reader to walk and stamp), then checks the meta
// pages and length and that the file did not change meanwhile. Best
// effort, as writeStamp.
func StampWritten(path string, now func() time.Time, sleep func(time.Duration)) {
	fi, err := os.Stat(path)
	if err != nil {
		return
	}
	before, ok := stampOf(fi, Meta{})
	if !ok {
		return
	}
	wait := settle(before.ctime) - now().Sub(time.Unix(0, before.ctime))
	if wait > fineSettle {
		return
	}
	if wait > 0 {
		sleep(wait)
	}
	m, err := Check(path)
	if err != nil {
		return
	}
	fi, err = os.Stat(path)
	if after, ok := stampOf(fi, Meta{}); err != nil || !ok || after != before {
		return
	}
	writeStamp(path, fi, m, now())
}
