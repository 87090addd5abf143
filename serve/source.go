package serve

import (
	"context"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/parc-archiver/parc/archive"
)

// Source lends the archive to one request.
type Source interface {
	// Use calls fn with the archive. It returns an error wrapping
	// archive.ErrLocked when another process's crawl holds the archive,
	// and archive.ErrNotFound-like open errors as they come.
	Use(ctx context.Context, fn func(*archive.Archive) error) error
}

// Opener opens the archive at Path read-only for the requests in flight
// and closes it when the last one ends, so that it holds the file's
// shared lock only while a page is being rendered. It is safe for
// concurrent use.
type Opener struct {
	Path   string
	Portal string        // default portal name of the archive's records
	Wait   time.Duration // how long a request waits for a crawl to release the archive
	Logger *slog.Logger

	mu    sync.Mutex
	arc   *archive.Archive
	users int
	known os.FileInfo // the file as the last open found it, after checking it
}

// Use opens the archive unless a request in flight has it open, calls fn
// and closes it after the last user.
func (o *Opener) Use(ctx context.Context, fn func(*archive.Archive) error) error {
	arc, err := o.acquire()
	if err != nil {
		return err
	}
	defer o.release()
	return fn(arc)
}

func (o *Opener) acquire() (*archive.Archive, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.arc == nil {
		arc, err := o.open()
		if err != nil {
			return nil, err
		}
		o.arc = arc
	}
	o.users++
	return o.arc, nil
}

// open opens the archive, skipping the walk of its pages when the file is
// the one the last open checked (same file, size and modification time):
// a request between two crawls costs a few milliseconds, not a walk of the
// whole file. The file is looked at again once open (no writer can change
// it then); when it changed between the look and the lock, it is opened
// again and walked.
func (o *Opener) open() (*archive.Archive, error) {
	before, err := os.Stat(o.Path)
	quick := err == nil && sameFile(o.known, before)
	arc, err := o.openArchive(quick)
	if err != nil {
		o.known = nil
		return nil, err
	}
	after, err := os.Stat(o.Path)
	if err == nil && (!quick || sameFile(before, after)) {
		o.known = after
		return arc, nil
	}
	arc.Close()
	o.known = nil
	return o.openArchive(false)
}

func (o *Opener) openArchive(checked bool) (*archive.Archive, error) {
	return archive.Open(o.Path, archive.Options{ReadOnly: true, Checked: checked, LockTimeout: o.Wait, Portal: o.Portal, Logger: o.Logger})
}

// sameFile reports whether b is the file a was, unchanged.
func sameFile(a, b os.FileInfo) bool {
	return a != nil && b != nil && os.SameFile(a, b) && a.Size() == b.Size() && a.ModTime().Equal(b.ModTime())
}

func (o *Opener) release() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.users--
	if o.users > 0 {
		return
	}
	if err := o.arc.Close(); err != nil && o.Logger != nil {
		o.Logger.Warn("closing the archive after a page", "err", err)
	}
	o.arc = nil
}

// Lender serves the requests of parc watch: while a crawl of the same
// process holds the archive, requests use its handle; otherwise they open
// the file as Fallback does. A crawl takes the archive through Open, which
// first waits for the requests that opened it themselves to end, so that
// the pages are never in the crawl's way. It is safe for concurrent use;
// a nil *Lender's Open just opens.
type Lender struct {
	Fallback Source

	mu  sync.RWMutex // held for reading by each request, for writing by Open and Withdraw
	arc *archive.Archive
}

// Use calls fn with the crawl's archive when one is lent, else through
// Fallback.
func (l *Lender) Use(ctx context.Context, fn func(*archive.Archive) error) error {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if l.arc != nil {
		return fn(l.arc)
	}
	return l.Fallback.Use(ctx, fn)
}

// Open runs open (the crawl's open of the archive for writing) once no
// request has the file open, and lends what it opened to the requests
// until Withdraw.
func (l *Lender) Open(open func() (*archive.Archive, error)) (*archive.Archive, error) {
	if l == nil {
		return open()
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	arc, err := open()
	if err != nil {
		return nil, err // the crawl's own error (archive.ErrLocked, …)
	}
	l.arc = arc
	return arc, nil
}

// Withdraw ends the loan once the requests using the archive are done:
// call it before closing the archive.
func (l *Lender) Withdraw() {
	if l == nil {
		return
	}
	l.mu.Lock()
	l.arc = nil
	l.mu.Unlock()
}
