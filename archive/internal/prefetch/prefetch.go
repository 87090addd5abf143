package prefetch

import (
	"context"
	"encoding/binary"
	"os"
	"slices"
	"sync"
)

const (
	pageHeaderSize    = 16 // id (8), flags (2), count (2), overflow (4)
	branchElementSize = 16 // pos (4), ksize (4), pgid (8)
	branchPageFlag    = 0x01
	leafPageFlag      = 0x02

	// prefetchGap: leaves at most this many pages apart are read in one
	// run (the pages between are read too: cheaper than another request,
	// and they hold the leaves' overflow pages). Not more: the pages
	// between a bucket's leaves are mostly other buckets' (an export of
	// records would read the captures between them: with 16, 1.55 GB of
	// a 2.0 GB archive for 560 MB of record pages; with 4, 655 MB).
	prefetchGap = 4
	// prefetchTail pages are read after each leaf, for its overflow
	// pages (a 10 KB record spans 3 pages; a longer one faults the rest
	// in, with the kernel's read-around).
	prefetchTail    = 3
	prefetchChunk   = 1 << 20
	prefetchReaders = 4
)

// Trees reads into the page cache the pages of the B+trees whose root
// pages are roots (bucket roots: bbolt's Bucket.Root), in the bbolt file
// at path with pages of pageSize bytes (see above). It returns when they
// are read, ctx ends or it gave up.
func Trees(ctx context.Context, path string, pageSize int, roots []uint64) {
	f, err := os.Open(path)
	if err != nil {
		return
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return
	}
	ps := int64(pageSize)
	if ps < 512 {
		return
	}
	w := &treeWalk{f: f, pageSize: ps, pages: uint64(fi.Size() / ps)}
	for _, root := range roots {
		if root != 0 && !w.walk(root) {
			return
		}
	}
	readRuns(ctx, f, ps, uncached(residency(f, fi.Size(), ps), leafRuns(w.leaves, w.pages)))
}

// treeWalk collects the leaf pages below branch pages.
type treeWalk struct {
	f        *os.File
	pageSize int64
	pages    uint64 // pages in the file
	leaves   []uint64
	buf      []byte
}

// walk adds the leaves of the tree rooted at page root; false when a page
// is not what the tree says (the file is damaged or changed). A B+tree
// keeps its leaves at one depth: the walk goes level by level, reading
// branch pages in file order, and reads only the first page of the leaf
// level (to see that it is one), not every leaf.
func (w *treeWalk) walk(root uint64) bool {
	level := []uint64{root}
	for depth := 0; len(level) > 0; depth++ {
		if depth > 64 || len(level) > int(w.pages) {
			return false // a damaged tree: links repeat (a loop)
		}
		slices.Sort(level)
		if len(slices.Compact(slices.Clone(level))) != len(level) {
			return false // a page linked twice
		}
		var next []uint64
		for i, id := range level {
			if id < 2 || id >= w.pages {
				return false
			}
			flags, count, body, ok := w.readPage(id)
			switch {
			case !ok:
				return false
			case flags&leafPageFlag != 0 && i == 0:
				w.leaves = append(w.leaves, level...)
				return true
			case flags&branchPageFlag != 0 && len(body) >= count*branchElementSize:
				for j := range count {
					next = append(next, binary.LittleEndian.Uint64(body[j*branchElementSize+8:]))
				}
			default:
				return false
			}
		}
		level = next
	}
	return true
}

// readPage reads the header of page id and, for a branch page, its
// elements (the page and its overflow pages).
func (w *treeWalk) readPage(id uint64) (flags uint16, count int, body []byte, ok bool) {
	if cap(w.buf) < int(w.pageSize) {
		w.buf = make([]byte, w.pageSize)
	}
	buf := w.buf[:w.pageSize]
	if _, err := w.f.ReadAt(buf, int64(id)*w.pageSize); err != nil {
		return 0, 0, nil, false
	}
	if binary.LittleEndian.Uint64(buf) != id { // the page's own id: also rules out a big-endian file
		return 0, 0, nil, false
	}
	flags = binary.LittleEndian.Uint16(buf[8:])
	count = int(binary.LittleEndian.Uint16(buf[10:]))
	overflow := uint64(binary.LittleEndian.Uint32(buf[12:]))
	if flags&branchPageFlag == 0 {
		return flags, count, nil, true
	}
	if overflow > 0 {
		if id+overflow >= w.pages || overflow > 1024 {
			return 0, 0, nil, false
		}
		n := (1 + int64(overflow)) * w.pageSize
		if int64(cap(w.buf)) < n {
			w.buf = make([]byte, n)
		}
		buf = w.buf[:n]
		if _, err := w.f.ReadAt(buf, int64(id)*w.pageSize); err != nil {
			return 0, 0, nil, false
		}
	}
	return flags, count, buf[pageHeaderSize:], true
}

// pageRun is pages [first, end) of the file.
type pageRun struct{ first, end uint64 }

// leafRuns sorts leaves and merges them into runs of pages to read, each
// with the prefetchTail pages after it.
func leafRuns(leaves []uint64, pages uint64) []pageRun { return pageRuns(leaves, pages, prefetchTail) }

// pageRuns sorts ids and merges them, each with the tail pages after it,
// into runs of pages to read: ids at most prefetchGap pages apart share a
// run; ids past the file's pages are left out.
func pageRuns(ids []uint64, pages, tail uint64) []pageRun {
	slices.Sort(ids)
	var runs []pageRun
	for _, id := range ids {
		if id >= pages {
			break
		}
		end := min(id+1+tail, pages)
		if n := len(runs); n > 0 && id <= runs[n-1].end+prefetchGap {
			runs[n-1].end = max(runs[n-1].end, end)
			continue
		}
		runs = append(runs, pageRun{id, end})
	}
	return runs
}

// readRuns reads the runs in file order, prefetchReaders reads of at
// most prefetchChunk in flight, discarding the bytes.
func readRuns(ctx context.Context, f *os.File, pageSize int64, runs []pageRun) {
	type chunk struct{ off, n int64 }
	chunks := make(chan chunk, prefetchReaders)
	var wg sync.WaitGroup
	for range prefetchReaders {
		wg.Go(func() {
			buf := make([]byte, prefetchChunk)
			for c := range chunks {
				_, _ = f.ReadAt(buf[:c.n], c.off)
			}
		})
	}
	defer wg.Wait()
	defer close(chunks)
	for _, r := range runs {
		for off, end := int64(r.first)*pageSize, int64(r.end)*pageSize; off < end; off += prefetchChunk {
			select {
			case chunks <- chunk{off, min(prefetchChunk, end-off)}:
			case <-ctx.Done():
				return
			}
		}
	}
}

// Warmer reads pages of one file into the page cache ahead of a reader
// that reads them one at a time (package pagefile's walk, a level of the
// trees after another): one 4 KB read after another from a cold file runs
// at the speed of random reads. It asks the page cache once, at its first
// Pages, which pages it holds; the zero value is not usable: NewWarmer.
type Warmer struct {
	f        *os.File
	pageSize int64
	size     int64
	resident []byte // from the first Pages; nil: unknown (read every run)
	asked    bool
}

// NewWarmer returns a Warmer for f, whose pages are pageSize bytes.
func NewWarmer(f *os.File, pageSize int64) *Warmer {
	w := &Warmer{f: f, pageSize: pageSize}
	if fi, err := f.Stat(); err == nil && pageSize >= 512 {
		w.size = fi.Size()
	}
	return w
}

// Pages reads pages ids (sorted in place; their first pages only) into the page
// cache as Trees reads leaves: neighbours merged into runs, the runs not
// cached when the Warmer first asked read in file order with several
// reads in flight. It returns when they are read or ctx ends.
func (w *Warmer) Pages(ctx context.Context, ids []uint64) {
	if w.size == 0 {
		return
	}
	if !w.asked {
		w.resident, w.asked = residency(w.f, w.size, w.pageSize), true
	}
	runs := pageRuns(ids, uint64(w.size/w.pageSize), 0)
	readRuns(ctx, w.f, w.pageSize, uncached(w.resident, runs))
}

// uncached returns the parts of runs whose pages resident (see residency)
// says are not in the page cache, so that warm pages are not read a
// second time; runs as they are when resident is nil.
func uncached(resident []byte, runs []pageRun) []pageRun {
	if resident == nil {
		return runs
	}
	var out []pageRun
	for _, r := range runs {
		for id := r.first; id < r.end && id < uint64(len(resident)); id++ {
			if resident[id]&1 != 0 {
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
