// Package gctune lets the garbage collector use a heap budget instead of
// running every time the heap doubles.
//
// With the default GOGC=100 the collector runs when the heap reaches twice
// what the last cycle found live. parc's live heap is small (10-30 MB
// during a crawl) while it allocates ~300 KB per page (parse trees, bodies,
// page buffers), so with the default it collected every ~35 pages and
// ~17 % of a crawl's CPU went to the collector. A Tuner raises GOGC after each cycle so that
// the next one starts near the budget: GOGC = 100 × (budget − live) / live,
// within [50, 800]. When the live heap outgrows half the budget, GOGC goes
// below Go's default 100, down to 50, which keeps the peak heap near the
// budget while collecting at most twice as often as the default; a live
// heap far above the budget is collected at GOGC=50, with no death spiral
// as with a hard memory limit.
//
// This is the "GC tuner" technique of large Go services (Uber's, and
// bytedance/gopkg's gctuner), in a few lines instead of a dependency.
package gctune

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// Bounds of the GOGC a Tuner sets.
const (
	MinPercent = 50
	MaxPercent = 800
)

// Percent returns the GOGC that lets a heap with live bytes live grow to
// budget before the next collection, within [MinPercent, MaxPercent].
func Percent(live, budget uint64) int {
	if live == 0 || budget <= live {
		return MinPercent
	}
	p := (budget - live) * 100 / live
	return int(min(max(p, MinPercent), MaxPercent))
}

// Tuner sets GOGC after every garbage collection from the live heap.
type Tuner struct {
	budget uint64
	onTune func(live uint64, percent int) // tests: called after each tuning

	mu      sync.Mutex // serialises tune with Stop; guards what follows
	stopped bool
	sample  [1]metrics.Sample
	percent int // GOGC as last set
	prev    int // GOGC before Start, restored by Stop
}

// Start returns a running Tuner for a heap budget in bytes. It changes the
// process-wide GOGC: call it from main, once, and Stop it before exit.
func Start(budget uint64) *Tuner { return start(budget, nil) }

func start(budget uint64, onTune func(live uint64, percent int)) *Tuner {
	t := &Tuner{budget: budget, onTune: onTune}
	t.sample[0].Name = "/gc/heap/live:bytes"
	t.prev = debug.SetGCPercent(100) // Go's default until a cycle measured the heap
	t.percent = 100
	t.arm()
	return t
}

// Stop stops tuning and restores the GOGC from before Start.
func (t *Tuner) Stop() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.stopped {
		return
	}
	t.stopped = true
	debug.SetGCPercent(t.prev)
}

// sentinel is an object nothing references: the collector frees it in
// its next cycle, which runs its cleanup. Its pointer keeps it out of the
// tiny allocator, whose blocks may outlive the objects in them.
type sentinel struct{ _ *Tuner }

// arm registers a cleanup that runs after the next garbage collection.
func (t *Tuner) arm() {
	runtime.AddCleanup(&sentinel{}, func(t *Tuner) { t.tune() }, t)
}

// tune runs in the cleanup goroutine after a collection: it sets GOGC
// for the next cycle and arms itself again.
func (t *Tuner) tune() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.stopped {
		return
	}
	metrics.Read(t.sample[:])
	var live uint64
	if t.sample[0].Value.Kind() == metrics.KindUint64 {
		live = t.sample[0].Value.Uint64()
	}
	p := Percent(live, t.budget)
	// Small changes are not worth the heap lock SetGCPercent takes; the
	// bounds are always reached.
	if d := p - t.percent; d > t.percent/8 || -d > t.percent/8 || p != t.percent && (p == MinPercent || p == MaxPercent) {
		debug.SetGCPercent(p)
		t.percent = p
	}
	// Armed before onTune, so that a collection a test starts after the
	// callback frees the next sentinel.
	t.arm()
	if t.onTune != nil {
		t.onTune(live, t.percent)
	}
}
