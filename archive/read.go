package archive

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"

	bolt "go.etcd.io/bbolt"

	"github.com/parc-archiver/parc/archive/internal/keyscan"
	"github.com/parc-archiver/parc/archive/internal/portals"
	"github.com/parc-archiver/parc/archive/internal/responses"
	"github.com/parc-archiver/parc/archive/internal/runlog"
	"github.com/parc-archiver/parc/internal/canon"
	"github.com/parc-archiver/parc/record"
)

// History is one record with its URLs and every revision, for `parc show`.
type History struct {
	Record record.Record `json:"record"`
	// Revisions describes each revision, oldest first (fetch time, content
	// hash, capture, diff from the previous one).
	Revisions []Revision `json:"revisions"`
	// Versions holds each revision as a full record, oldest first; the
	// last equals Record.
	Versions []record.Record `json:"versions"`
	// Redacted is set when the record's text was removed.
	Redacted *Tombstone `json:"redacted,omitempty"`
}

var (
	idPattern     = regexp.MustCompile(`^[0-9a-f]{16}$`)
	idPrefixShape = regexp.MustCompile(`^[0-9a-f]{4,15}$`)
)

// maxAmbiguous is how many matches an AmbiguousIDError lists.
const maxAmbiguous = 10

// Get returns the history of the record with id idOrURL, of the one record
// whose id starts with idOrURL (4 to 15 hex digits; several: an
// *AmbiguousIDError), or of the record that URL (any variant of it)
// belongs to. Unknown: ErrNotFound.
func (a *Archive) Get(ctx context.Context, idOrURL string) (*History, error) {
	var h *History
	err := a.view(ctx, func(tx *bolt.Tx) error {
		id, err := resolveID(tx, idOrURL)
		if err != nil {
			return err
		}
		d, r, err := loadDoc(tx, id)
		if err != nil {
			return err
		}
		h = &History{Record: *r, Revisions: d.Revs, Redacted: d.Redacted}
		for _, rv := range d.Revs[:len(d.Revs)-1] {
			if err := ctx.Err(); err != nil {
				return err
			}
			var old record.Record
			if raw := tx.Bucket(bRevisions).Get(revKey(id, rv.Revision)); raw != nil {
				raw, err := openStored(raw)
				if err != nil {
					return fmt.Errorf("record %s revision %d: %w", id, rv.Revision, err)
				}
				if err := json.Unmarshal(raw, &old); err != nil {
					return fmt.Errorf("record %s revision %d: %w", id, rv.Revision, err)
				}
			} else {
				old = record.Record{ID: id, Revision: rv.Revision, ContentHash: rv.ContentHash}
			}
			h.Versions = append(h.Versions, old)
		}
		h.Versions = append(h.Versions, *r)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return h, nil
}

// resolveID finds the record idOrURL names: a whole id, an id prefix or
// a URL.
func resolveID(tx *bolt.Tx, idOrURL string) (string, error) {
	docs := tx.Bucket(bDocs)
	switch {
	case idPattern.MatchString(idOrURL) && docs.Get([]byte(idOrURL)) != nil:
		return idOrURL, nil
	case idPrefixShape.MatchString(idOrURL):
		if id, err := idWithPrefix(docs, idOrURL); !errors.Is(err, ErrNotFound) {
			return id, err
		}
	}
	if key, err := canon.Key(idOrURL); err == nil {
		if v := tx.Bucket(bURLs).Get([]byte(key)); v != nil {
			return string(v), nil
		}
	}
	return "", fmt.Errorf("%s: %w", idOrURL, ErrNotFound)
}

// idWithPrefix is the one record id in docs that starts with prefix.
func idWithPrefix(docs *bolt.Bucket, prefix string) (string, error) {
	matches, more := keyscan.Prefixed(docs, []byte(prefix), maxAmbiguous)
	switch len(matches) {
	case 0:
		return "", fmt.Errorf("%s: %w", prefix, ErrNotFound)
	case 1:
		return matches[0], nil
	}
	return "", &AmbiguousIDError{Prefix: prefix, Matches: matches, More: more}
}

// Capture returns the stored raw capture with id (its "<urn:uuid:…>"
// form); unknown or removed: ErrNotFound.
func (a *Archive) Capture(ctx context.Context, id string) (c *record.Capture, err error) {
	err = a.view(ctx, func(tx *bolt.Tx) error {
		v := tx.Bucket(bCaptures).Get([]byte(id))
		if v == nil {
			return fmt.Errorf("capture %s: %w", id, ErrNotFound)
		}
		c, _, err = a.codec.Decode(v)
		return err
	})
	return c, err
}

// Stats are counts over the whole archive, for `parc stats` and metrics.
type Stats struct {
	Records   int   `json:"records"`
	Revisions int   `json:"revisions"` // every stored revision, current ones included
	Captures  int   `json:"captures"`
	Responses int   `json:"responses"` // raw captures of the other responses (archive.keep_raw: all)
	URLs      int   `json:"urls"`      // identity keys known
	Redacted  int   `json:"redacted"`
	Size      int64 `json:"size"` // archive file size in bytes
	// Run is the first portal's current or last crawl run; RunFinished
	// says whether it finished (Portals has every portal's). Pending and
	// Failed are over every portal.
	Run         uint64 `json:"run"`
	RunFinished bool   `json:"run_finished"`
	Pending     int    `json:"frontier_pending"`
	Failed      int    `json:"frontier_failed"` // failed in their run, queued again by the next
	ChangeSeq   uint64 `json:"change_seq"`
	// LastRuns holds what RecordRun stored, oldest first (at most 100 of
	// each portal).
	LastRuns []json.RawMessage `json:"last_runs"`
}

// Stats counts what the archive holds.
func (a *Archive) Stats(ctx context.Context) (Stats, error) {
	var s Stats
	err := a.view(ctx, func(tx *bolt.Tx) error {
		// Each count walks its bucket's pages: check ctx between them.
		for _, c := range []struct {
			bucket []byte
			n      *int
		}{{bDocs, &s.Records}, {bRevisions, &s.Revisions}, {bCaptures, &s.Captures}, {bURLs, &s.URLs},
			{bOrder, &s.Redacted}} {
			if err := ctx.Err(); err != nil {
				return err
			}
			*c.n = tx.Bucket(c.bucket).Stats().KeyN
		}
		s.Responses = responses.Count(tx)
		s.Revisions += s.Records            // current revisions are the records
		s.Redacted = s.Records - s.Redacted // records left out of the order are redacted
		for _, num := range portals.Every(tx) {
			l := portals.LayoutOf(num, bURLs)
			s.Pending += portals.KeyCount(tx, l.Queue)
			s.Failed += portals.KeyCount(tx, l.Failed)
		}
		s.Size = tx.Size()
		m := tx.Bucket(bMeta)
		s.ChangeSeq = getU64(m, metaChgSeq)
		st, err := portals.FrontierState(tx, bMeta, metaFrontier, portals.Legacy)
		if err != nil {
			return err
		}
		s.Run, s.RunFinished = st.Run, st.Finished
		s.LastRuns = runlog.Merged(portals.RunLogs(tx, nil))
		return nil
	})
	if err != nil {
		return Stats{}, fmt.Errorf("stats of %s: %w", a.path, err)
	}
	return s, nil
}
