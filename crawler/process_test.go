package crawler

import (
	"testing"

	"github.com/parc-archiver/parc/failure"
	"github.com/parc-archiver/parc/frontier"
)

func TestStatusFailure(t *testing.T) {
	for _, tc := range []struct {
		status           int
		listing, article failure.Kind
	}{
		{200, "", ""},
		{204, "", ""},
		{304, "", ""},
		{301, failure.Redirect, failure.Redirect}, // not followed: no Location
		{404, failure.HTTP4xx, ""},                // an article that is gone
		{410, failure.HTTP4xx, ""},
		{403, failure.HTTP4xx, failure.HTTP4xx},
		{429, failure.HTTP429, failure.HTTP429},
		{500, failure.HTTP5xx, failure.HTTP5xx},
		{503, failure.HTTP5xx, failure.HTTP5xx},
	} {
		if got := statusFailure(tc.status, frontier.KindListing); got != tc.listing {
			t.Errorf("listing answering %d: %q, want %q", tc.status, got, tc.listing)
		}
		if got := statusFailure(tc.status, frontier.KindArticle); got != tc.article {
			t.Errorf("article answering %d: %q, want %q", tc.status, got, tc.article)
		}
	}
}
