package prefetch

import (
	"os"
	"unsafe"

	"golang.org/x/sys/unix"
)

// uncached returns the parts of runs whose pages are not in the page
// cache (mincore over a mapping of the file), so that a warm export
// does not read its pages a second time; runs as they are when the
// question cannot be asked.
func uncached(f *os.File, size, pageSize int64, runs []pageRun) []pageRun {
	if len(runs) == 0 || size <= 0 || int64(os.Getpagesize()) != pageSize {
		return runs
	}
	mem, err := unix.Mmap(int(f.Fd()), 0, int(size), unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		return runs
	}
	defer unix.Munmap(mem)
	vec := make([]byte, (size+pageSize-1)/pageSize)
	if _, _, errno := unix.Syscall(unix.SYS_MINCORE, uintptr(unsafe.Pointer(&mem[0])), uintptr(len(mem)), uintptr(unsafe.Pointer(&vec[0]))); errno != 0 {
		return runs
	}
	var out []pageRun
	for _, r := range runs {
		for id := r.first; id < r.end && id < uint64(len(vec)); id++ {
			if vec[id]&1 != 0 {
				continue
			}
			if n := len(out); n > 0 && id <= out[n-1].end+prefetchGap {
				out[n-1].end = id + 1
			} else {
				out = append(out, pageRun{id, id + 1})
			}
		}
	}
	return out
}
