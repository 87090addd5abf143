package run

import (
	"context"
	"log/slog"
	"sync"

	"github.com/parc-archiver/parc/archive"
)

// printBatch is how many queued records one pass reads at a time.
const printBatch = 256

// printer writes --print-new lines from the archive's print queue: the
// records a --print-new run stored as new and no run has printed yet,
// this run's and those a killed run left. Each is marked printed only
// after its line was written (and flushed, when the writer can), so a
// line is printed at least once; a kill between the write and the mark
// prints it again next time, with the same id.
type printer struct {
	arc     *archive.Archive
	w       *lineWriter
	log     *slog.Logger
	kickc   chan struct{}
	done    chan struct{}
	stopped chan struct{}
	once    sync.Once
	after   uint64 // the last entry this run printed
	failed  bool   // the writer failed: the rest waits for the next run
}

// startPrinter prints what is queued at once, then again on each kick.
func startPrinter(ctx context.Context, arc *archive.Archive, w *lineWriter, log *slog.Logger) *printer {
	p := &printer{arc: arc, w: w, log: log, kickc: make(chan struct{}, 1), done: make(chan struct{}), stopped: make(chan struct{})}
	p.kick()
	go func() {
		defer close(p.stopped)
		for {
			select {
			case <-p.kickc:
				p.print(ctx)
			case <-p.done:
				p.print(context.WithoutCancel(ctx))
				return
			}
		}
	}()
	return p
}

// kick asks for a pass soon; it never blocks.
func (p *printer) kick() {
	select {
	case p.kickc <- struct{}{}:
	default:
	}
}

// stop prints what is still queued and returns once done: what was
// stored before stop is printed, unless the writer failed.
func (p *printer) stop() {
	p.once.Do(func() { close(p.done) })
	<-p.stopped
}

// print writes every queued record after the last one printed.
func (p *printer) print(ctx context.Context) {
	for !p.failed {
		batch, err := p.arc.Unprinted(ctx, p.after, printBatch)
		if err != nil {
			if ctx.Err() == nil {
				p.log.Error("--print-new: reading the print queue", "err", err)
			}
			return
		}
		if len(batch) == 0 {
			return
		}
		var done []uint64
		for _, u := range batch {
			if u.Record != nil {
				if err := p.w.line(u.Record); err != nil {
					p.failed = true
					p.log.Error("--print-new: writing a line failed; the rest is printed by the next --print-new run", "err", err)
					break
				}
			}
			done, p.after = append(done, u.Seq), u.Seq
		}
		if err := p.arc.MarkPrinted(ctx, done); err != nil && ctx.Err() == nil {
			p.log.Error("--print-new: marking lines printed", "err", err)
		}
	}
}
