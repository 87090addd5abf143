package notify

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parc-archiver/parc/runrecord"
)

// A receiver answering 3xx gets a failed delivery; the host its Location
// names is never contacted, with parc's client or one the caller gives.
func TestSendNeverFollowsRedirects(t *testing.T) {
	var elsewhere atomic.Int32
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { elsewhere.Add(1) }))
	defer target.Close()
	for _, status := range []int{http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, target.URL+"/metadata", status)
		}))
		for _, client := range []*http.Client{nil, {Timeout: 5 * time.Second}} {
			n := New(Options{Webhooks: []Webhook{{URL: hook.URL, Secret: "s"}}, Client: client, Attempts: 1, Sleep: (&sleeper{}).Sleep})
			entries, err := n.Build(RunEvent(EventCrawlFailed, "1", runrecord.Run{}, "p", time.Now()))
			if err != nil {
				t.Fatal(err)
			}
			err = n.Send(context.Background(), entries[0])
			if !errors.Is(err, ErrStatus) || !strings.Contains(err.Error(), "redirects are not followed") {
				t.Errorf("%d: Send = %v, want a failed delivery saying redirects are not followed", status, err)
			}
		}
		hook.Close()
	}
	if n := elsewhere.Load(); n != 0 {
		t.Errorf("the redirect target received %d requests", n)
	}
}
