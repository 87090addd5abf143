package orderhead

import "testing"

// Heads round-trip; portal 1 is stored as the heads before portals were
// (no number), any other with its number.
func TestRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		pub    string
		portal uint32
	}{{"2024-01-08T15:15:00Z", 1}, {"", 1}, {"2024-01-08T15:15:00Z", 7}, {"", 70000}} {
		v := Encode("0123456789abcdef", 42, tc.pub, "Tin tức", tc.portal)
		h, err := Decode(v)
		if err != nil {
			t.Fatal(err)
		}
		if h.ID != "0123456789abcdef" || h.Seq != 42 || h.Category != "Tin tức" || h.Portal != tc.portal || h.HasPub != (tc.pub != "") {
			t.Errorf("%+v: got %+v", tc, h)
		}
		if tc.portal == 1 && len(v) != 18+16+len("Tin tức") {
			t.Errorf("portal 1 head of %d bytes: stored a number", len(v))
		}
	}
	if _, err := Decode(Encode("ab", 1, "", "", 3)[:20]); err == nil {
		t.Error("truncated portal number decoded")
	}
}
