package run

import (
	"context"
	"log/slog"
	"sync"

	"github.com/parc-archiver/parc/notify"
)

// delivery sends queued webhook events while a run goes on (when pages
// are stored) and once more at its end.
type delivery struct {
	nt      *notify.Notifier
	ob      notify.Outbox
	log     *slog.Logger
	kickc   chan struct{}
	done    chan struct{}
	stopped chan struct{}
	once    sync.Once

	mu        sync.Mutex
	delivered int // over every pass of the run
	left      int // failed or deferred in the last pass
}

func startDelivery(ctx context.Context, nt *notify.Notifier, ob notify.Outbox, log *slog.Logger) *delivery {
	d := &delivery{nt: nt, ob: ob, log: log, kickc: make(chan struct{}, 1), done: make(chan struct{}), stopped: make(chan struct{})}
	if !nt.Enabled() {
		close(d.stopped)
		return d
	}
	go func() {
		defer close(d.stopped)
		for {
			select {
			case <-d.kickc:
				d.deliver(ctx)
			case <-d.done:
				return
			case <-ctx.Done():
				return
			}
		}
	}()
	return d
}

// kick asks for a delivery pass soon; it never blocks.
func (d *delivery) kick() {
	select {
	case d.kickc <- struct{}{}:
	default:
	}
}

// stop ends the background passes and waits for the one in flight.
func (d *delivery) stop() {
	d.once.Do(func() { close(d.done) })
	<-d.stopped
}

// final is the end-of-run pass (skipped when the run was interrupted:
// what is queued goes out with the next run).
func (d *delivery) final(ctx context.Context) {
	if d.nt.Enabled() && ctx.Err() == nil {
		d.deliver(ctx)
	}
}

func (d *delivery) deliver(ctx context.Context) {
	rep, err := d.nt.Deliver(ctx, d.ob)
	if err != nil && ctx.Err() == nil {
		d.log.Error("webhook delivery", "err", err)
	}
	d.mu.Lock()
	d.delivered += rep.Delivered
	d.left = rep.Failed + rep.Deferred
	total := d.delivered
	d.mu.Unlock()
	if rep.Failed+rep.Deferred > 0 {
		d.log.Warn("webhook deliveries left for a later run", "failed", rep.Failed, "deferred", rep.Deferred, "delivered_this_run", total)
	}
}

// counts returns the deliveries of the run so far and what its last pass
// left for a later run.
func (d *delivery) counts() (delivered, left int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.delivered, d.left
}
