package failure

import "testing"

// The names are stored in run records and exported as metric labels.
func TestNamesAreStable(t *testing.T) {
	want := []string{"network", "timeout", "truncated", "http-5xx", "http-429", "http-4xx", "redirect",
		"too-large", "parse", "handler", "panic", "robots-txt", "bad-url", "store"}
	got := Kinds()
	if len(got) != len(want) {
		t.Fatalf("%d kinds, want %d", len(got), len(want))
	}
	for i, k := range got {
		if string(k) != want[i] {
			t.Errorf("kind %d is %q, want %q", i, k, want[i])
		}
	}
}

func TestRetryable(t *testing.T) {
	retry := map[Kind]bool{Network: true, Timeout: true, Truncated: true, HTTP5xx: true, HTTP429: true, RobotsTxt: true}
	for _, k := range Kinds() {
		if k.Retryable() != retry[k] {
			t.Errorf("%s.Retryable() = %v, want %v", k, k.Retryable(), retry[k])
		}
	}
}
