package gctune

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"
)

func TestPercent(t *testing.T) {
	const mb = 1 << 20
	tests := []struct {
		live, budget uint64
		want         int
	}{
		{0, 48 * mb, MinPercent},       // nothing measured yet
		{48 * mb, 48 * mb, MinPercent}, // at the budget: the floor
		{60 * mb, 48 * mb, MinPercent}, // above it: never below the floor
		{30 * mb, 48 * mb, 60},         // over half the budget: below the default
		{24 * mb, 48 * mb, 100},        // exactly half: Go's default
		{20 * mb, 48 * mb, 140},        // room for 28 MB more
		{16 * mb, 48 * mb, 200},        // room for twice the live heap
		{4 * mb, 48 * mb, MaxPercent},  // capped (11x would be 1100)
		{1, 48 * mb, MaxPercent},       // no overflow on tiny heaps
		{30 * mb, 1 << 62, MaxPercent}, // huge budget
		{47 * mb, 48 * mb, MinPercent}, // 2 %: the floor
	}
	for _, tt := range tests {
		if got := Percent(tt.live, tt.budget); got != tt.want {
			t.Errorf("Percent(%d, %d) = %d, want %d", tt.live, tt.budget, got, tt.want)
		}
	}
}

// gogc reads the GOGC in effect.
func gogc(t *testing.T) int {
	t.Helper()
	s := []metrics.Sample{{Name: "/gc/gogc:percent"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		t.Fatal("no /gc/gogc:percent metric")
	}
	return int(s[0].Value.Uint64())
}

// TestTunerFollowsCollections: after each collection the tuner sets GOGC
// from the live heap and the budget, and Stop restores the GOGC it found.
func TestTunerFollowsCollections(t *testing.T) {
	before := debug.SetGCPercent(150)
	defer debug.SetGCPercent(before)

	for _, tt := range []struct {
		name   string
		budget uint64
		want   int
	}{
		{"room", 1 << 40, MaxPercent}, // a budget far above any live heap
		{"none", 1, MinPercent},       // a budget below it
	} {
		t.Run(tt.name, func(t *testing.T) {
			tuned := make(chan int, 16)
			tu := start(tt.budget, func(_ uint64, p int) {
				select {
				case tuned <- p:
				default:
				}
			})
			runtime.GC()
			if p := <-tuned; p != tt.want {
				t.Errorf("tuned to %d, want %d", p, tt.want)
			}
			if g := gogc(t); g != tt.want {
				t.Errorf("GOGC %d after tuning, want %d", g, tt.want)
			}
			// It keeps tuning: another collection, another call.
			runtime.GC()
			<-tuned
			tu.Stop()
			if g := gogc(t); g != 150 {
				t.Errorf("GOGC %d after Stop, want 150 (as before Start)", g)
			}
			// Stopped: a collection changes nothing any more.
			debug.SetGCPercent(150)
			runtime.GC()
			runtime.GC()
			if g := gogc(t); g != 150 {
				t.Errorf("GOGC %d after a collection of a stopped tuner, want 150", g)
			}
		})
	}
}
