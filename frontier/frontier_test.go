package frontier

import (
	"encoding/json"
	"testing"
)

// The numbers and JSON keys are stored in archives written since parc 0.1:
// changing one would make existing queues unreadable.
func TestStoredFormIsStable(t *testing.T) {
	if KindListing != 1 || KindArticle != 2 {
		t.Fatalf("kinds renumbered: listing %d, article %d", KindListing, KindArticle)
	}
	if StatusDone != 1 || StatusFailed != 2 || StatusSkip != 3 {
		t.Fatalf("statuses renumbered: %d %d %d", StatusDone, StatusFailed, StatusSkip)
	}
	b, err := json.Marshal(Item{URL: "https://x/a", Kind: KindArticle, Depth: 2, ETag: `"e"`, LastModified: "lm"})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"u":"https://x/a","k":2,"d":2,"e":"\"e\"","l":"lm"}`; string(b) != want {
		t.Fatalf("item JSON\n got %s\nwant %s", b, want)
	}
	var it Item
	if err := json.Unmarshal([]byte(`{"u":"https://x/l","k":1}`), &it); err != nil || it != (Item{URL: "https://x/l", Kind: KindListing}) {
		t.Fatalf("stored item read back as %+v, %v", it, err)
	}
}

func TestNames(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{KindListing.String(), "listing"}, {KindArticle.String(), "article"}, {Kind(9).String(), "unknown"},
		{StatusDone.String(), "done"}, {StatusFailed.String(), "failed"}, {StatusSkip.String(), "skipped"}, {Status(0).String(), "unknown"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
