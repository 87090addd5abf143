package archive

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/parc-archiver/parc/archive/internal/fingerprint"
	"github.com/parc-archiver/parc/archive/internal/orderhead"
	"github.com/parc-archiver/parc/archive/internal/portals"
	"github.com/parc-archiver/parc/archive/internal/revdiff"
	"github.com/parc-archiver/parc/internal/canon"
	"github.com/parc-archiver/parc/record"
)

// doc is the internal state of one record, beside its export JSON.
type doc struct {
	ID       string     `json:"id"`
	Order    uint64     `json:"order"` // position in first_seen order
	Seq      uint64     `json:"seq"`   // change sequence of the current revision
	Keys     []string   `json:"keys"`  // identity keys mapped to this record
	SimHash  uint64     `json:"simhash"`
	Revs     []Revision `json:"revs"` // oldest first; the last is current
	Redacted *Tombstone `json:"redacted,omitempty"`
	// Portal is the record's portal number (package portals); 0 means 1,
	// the first portal.
	Portal uint32 `json:"portal,omitempty"`
}

// captured reports whether rv's own capture or a refetch of it had the
// payload digest.
func (rv Revision) captured(digest string) bool {
	return rv.CaptureDigest == digest || slices.ContainsFunc(rv.Refetches, func(c CaptureRef) bool { return c.Digest == digest })
}

// portal returns d's portal number.
func (d *doc) portal() uint32 { return max(d.Portal, portals.Legacy) }

// Revision describes one stored revision of a record.
type Revision struct {
	Revision      int    `json:"revision"`
	Seq           uint64 `json:"seq"` // change sequence that created it
	FetchedAt     string `json:"fetched_at"`
	ContentHash   string `json:"content_hash"`
	CaptureID     string `json:"capture_id,omitempty"`
	CaptureDigest string `json:"capture_digest,omitempty"`
	// Refetches are the captures of later fetches that found the same
	// content (unchanged refetches, aliases).
	Refetches []CaptureRef `json:"refetches,omitempty"`
	// Diff is the change from the previous revision; nil for the first.
	Diff *Diff `json:"diff,omitempty"`
}

// CaptureRef points at a stored raw capture.
type CaptureRef struct {
	ID        string `json:"id"`
	Digest    string `json:"digest"`
	URL       string `json:"url"`
	FetchedAt string `json:"fetched_at"`
}

// Tombstone records why and when a record's text and captures were removed.
type Tombstone struct {
	Reason string `json:"reason"`
	At     string `json:"at"`
}

// prepared is a Page checked and hashed outside the transaction.
type prepared struct {
	p        Page
	recURL   string   // the record's URL: canonical when inside the site
	urls     []string // URLs seen in this fetch
	keys     []string // identity keys; keys[0] identifies the article
	title    string
	body     string
	hash     string
	sim      uint64
	fetched  time.Time
	capture  *encodedCapture
	portal   string
	hadCanon bool
	// fetchedKey is the identity key of the URL fetched: when it names no
	// record yet but another key does, the page is a new alias.
	fetchedKey string
}

type encodedCapture struct {
	ref   CaptureRef
	value []byte
}

// prepare validates p and computes everything that needs no transaction.
func (a *Archive) prepare(p Page) (*prepared, error) {
	if p.Article == nil {
		return nil, fmt.Errorf("%s: no article: %w", p.URL, ErrInvalidPage)
	}
	in := &prepared{p: p, title: fingerprint.Collapse(p.Article.Title), body: fingerprint.NormBody(p.Article.Body)}
	if in.title == "" || in.body == "" {
		return nil, fmt.Errorf("%s: no title or body: %w", p.URL, ErrInvalidPage)
	}
	u, err := canon.Parse(nil, p.URL)
	if err != nil {
		return nil, fmt.Errorf("%s: %w: %v", p.URL, ErrInvalidPage, err)
	}
	fetchedURL := u.String()
	if len(fetchedURL) > 8192 {
		return nil, fmt.Errorf("url of %d bytes: %w", len(fetchedURL), ErrInvalidPage)
	}
	addURL := func(raw string) {
		k, err := canon.Key(raw)
		if err != nil {
			return
		}
		clean, _ := canon.Clean(nil, raw)
		for _, have := range in.urls {
			if have == clean {
				return
			}
		}
		in.urls = append(in.urls, clean)
		for _, have := range in.keys {
			if have == k {
				return
			}
		}
		in.keys = append(in.keys, k)
	}
	in.recURL = fetchedURL
	if c := p.Article.Canonical; c != "" && len(c) <= 8192 {
		if cu, err := canon.Parse(u, c); err == nil && canon.SameHost(cu, u) {
			in.recURL = cu.String()
			in.hadCanon = true
			addURL(in.recURL)
		}
	}
	addURL(fetchedURL)
	in.fetchedKey, _ = canon.Key(fetchedURL)
	if p.Requested != "" && len(p.Requested) <= 8192 {
		addURL(p.Requested)
	}
	if len(in.keys) == 0 {
		return nil, fmt.Errorf("%s: no identity key: %w", p.URL, ErrInvalidPage)
	}
	in.hash = fingerprint.ContentHashNorm(in.title, in.body)
	in.sim = fingerprint.Simhash(in.body)
	in.fetched = p.FetchedAt
	if in.fetched.IsZero() && p.Capture != nil {
		in.fetched = p.Capture.FetchedAt
	}
	if in.fetched.IsZero() {
		in.fetched = a.opts.Now()
	}
	in.portal = p.Portal
	if in.portal == "" {
		in.portal = a.opts.Portal
	}
	if a.opts.KeepRaw && p.Capture != nil {
		e, err := a.codec.Encode(p.Capture, in.fetched)
		if err != nil {
			return nil, fmt.Errorf("capture of %s: %w", p.URL, err)
		}
		in.capture = &encodedCapture{
			ref:   CaptureRef{ID: e.ID, Digest: e.Digest, URL: p.Capture.URL, FetchedAt: e.FetchedAt.Format(time.RFC3339)},
			value: e.Value,
		}
	}
	return in, nil
}

func rfc(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

func utc(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func revKey(id string, rev int) []byte {
	k := make([]byte, len(id)+4)
	copy(k, id)
	binary.BigEndian.PutUint32(k[len(id):], uint32(rev))
	return k
}

// newID derives a record id from its first identity key.
func newID(key string, n int) string {
	s := key
	if n > 0 {
		s = fmt.Sprintf("%s\x00%d", key, n)
	}
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])[:16]
}

func loadDoc(tx *bolt.Tx, id string) (*doc, *record.Record, error) {
	dv := tx.Bucket(bDocs).Get([]byte(id))
	rv := tx.Bucket(bRecords).Get([]byte(id))
	if dv == nil || rv == nil {
		return nil, nil, fmt.Errorf("record %s: index points to a missing record", id)
	}
	rv, err := openStored(rv)
	if err != nil {
		return nil, nil, fmt.Errorf("record %s: %w", id, err)
	}
	var d doc
	if err := json.Unmarshal(dv, &d); err != nil {
		return nil, nil, fmt.Errorf("record %s: decode state: %w", id, err)
	}
	var r record.Record
	if err := json.Unmarshal(rv, &r); err != nil {
		return nil, nil, fmt.Errorf("record %s: decode: %w", id, err)
	}
	return &d, &r, nil
}

// save writes the record's JSON, its state and its order head.
func saveDoc(tx *bolt.Tx, d *doc, r *record.Record) error {
	rb, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("encode record %s: %w", d.ID, err)
	}
	db, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("encode state %s: %w", d.ID, err)
	}
	if err := putRecord(tx, d.ID, rb); err != nil {
		return err
	}
	if err := tx.Bucket(bDocs).Put([]byte(d.ID), db); err != nil {
		return err
	}
	return tx.Bucket(bOrder).Put(u64(d.Order), orderhead.Encode(d.ID, d.Seq, r.Published, r.Category, d.portal()))
}

// storePrepared stores one prepared page inside tx: the dedup check and
// the write happen in the same transaction.
func (a *Archive) storePrepared(tx *bolt.Tx, in *prepared) (Result, error) {
	urls := tx.Bucket(bURLs)
	var id string
	for _, k := range in.keys {
		if v := urls.Get([]byte(k)); v != nil {
			id = string(v)
			break
		}
	}
	if id != "" {
		d, r, err := loadDoc(tx, id)
		if err != nil {
			return Result{}, err
		}
		if d.Redacted != nil {
			return Result{ID: id, Outcome: OutcomeUnchanged, Revision: r.Revision}, nil
		}
		// The same content, or bytes its current revision was read or
		// refetched from: an extraction change is no revision by itself.
		if r.ContentHash == in.hash && r.Byline == fingerprint.Collapse(in.p.Article.Byline) || in.capture != nil && d.Revs[len(d.Revs)-1].captured(in.capture.ref.Digest) {
			oc := OutcomeUnchanged
			if in.fetchedKey != "" && urls.Get([]byte(in.fetchedKey)) == nil || seenSince(r.LastSeen, in.p.RunStarted) {
				oc = OutcomeAlias // a URL new to the record, or a second one this run: a cross-post
			}
			return a.touch(tx, in, d, r, oc)
		}
		return a.revise(tx, in, d, r)
	}
	num, err := a.register(tx, in.portal)
	if err != nil {
		return Result{}, err
	}
	if v := a.hashOwner(tx, in.hash, num); v != "" {
		d, r, err := loadDoc(tx, v)
		if err != nil {
			return Result{}, err
		}
		if d.Redacted == nil {
			return a.touch(tx, in, d, r, OutcomeAlias)
		}
	}
	return a.create(tx, in, num)
}

// fill sets the article fields of r from in.
func fill(r *record.Record, in *prepared) {
	art := in.p.Article
	r.Title = in.title
	r.Body = in.body
	r.Byline = fingerprint.Collapse(art.Byline)
	r.Published = rfc(art.Published)
	r.Modified = rfc(art.Modified)
	r.Category = fingerprint.Collapse(art.Category)
	r.Lead = fingerprint.Collapse(art.Lead)
	r.Tags = append([]string{}, art.Tags...)
	r.Images = append([]record.Image{}, art.Images...)
	r.ContentHash = in.hash
	r.Extraction = art.Extraction
	r.Portal = in.portal
	r.LastSeen = utc(in.fetched)
	r.CaptureID, r.CaptureDigest = "", ""
	if in.capture != nil {
		r.CaptureID, r.CaptureDigest = in.capture.ref.ID, in.capture.ref.Digest
	}
}

func (a *Archive) putCapture(tx *bolt.Tx, in *prepared) error {
	if in.capture == nil {
		return nil
	}
	b := tx.Bucket(bCaptures)
	// Capture ids are time-ordered (capture.NewID): new ones land at the
	// end of the bucket, so its pages may be filled instead of split in
	// halves that would never be filled later.
	b.FillPercent = 0.9
	return b.Put([]byte(in.capture.ref.ID), in.capture.value)
}

// addKeys maps in's keys and URLs to the record (never stealing a key
// that already names another record).
func addKeys(tx *bolt.Tx, in *prepared, d *doc, r *record.Record) error {
	urls := tx.Bucket(bURLs)
	for _, k := range in.keys {
		if v := urls.Get([]byte(k)); v != nil {
			continue
		}
		if err := urls.Put([]byte(k), []byte(d.ID)); err != nil {
			return err
		}
		d.Keys = append(d.Keys, k)
	}
	for _, u := range in.urls {
		found := false
		for _, have := range r.URLs {
			if have == u {
				found = true
				break
			}
		}
		if !found {
			r.URLs = append(r.URLs, u)
		}
	}
	return nil
}

func (a *Archive) create(tx *bolt.Tx, in *prepared, num uint32) (Result, error) {
	docs := tx.Bucket(bDocs)
	id := newID(in.keys[0], 0)
	for n := 1; docs.Get([]byte(id)) != nil; n++ {
		id = newID(in.keys[0], n)
	}
	order, err := nextSeq(tx, metaOrderSeq)
	if err != nil {
		return Result{}, err
	}
	seq, err := nextSeq(tx, metaChgSeq)
	if err != nil {
		return Result{}, err
	}
	d := &doc{ID: id, Order: order, Seq: seq, SimHash: in.sim}
	if num > portals.Legacy {
		d.Portal = num
	}
	r := &record.Record{ID: id, URL: in.recURL, URLs: []string{}, Revision: 1}
	fill(r, in)
	r.FirstSeen, r.LastChanged = r.LastSeen, r.LastSeen
	r.NearDuplicateOf = a.nearDuplicate(tx, in.sim, id)
	if err := addKeys(tx, in, d, r); err != nil {
		return Result{}, err
	}
	d.Revs = []Revision{{Revision: 1, Seq: seq, FetchedAt: r.LastSeen, ContentHash: in.hash,
		CaptureID: r.CaptureID, CaptureDigest: r.CaptureDigest}}
	if err := a.putCapture(tx, in); err != nil {
		return Result{}, err
	}
	if err := a.putHash(tx, d, in.hash); err != nil {
		return Result{}, err
	}
	if err := a.putSim(tx, d); err != nil {
		return Result{}, err
	}
	if err := saveDoc(tx, d, r); err != nil {
		return Result{}, err
	}
	if err := portals.Counted(tx, in.portal, r.FirstSeen); err != nil {
		return Result{}, err
	}
	return Result{ID: id, Outcome: OutcomeNew, Revision: 1, Record: r}, nil
}

// touch records a refetch of the current content (unchanged or alias).
func (a *Archive) touch(tx *bolt.Tx, in *prepared, d *doc, r *record.Record, oc Outcome) (Result, error) {
	if err := addKeys(tx, in, d, r); err != nil {
		return Result{}, err
	}
	if seen := utc(in.fetched); seen > r.LastSeen {
		r.LastSeen = seen
	}
	if err := clearGone(tx, d, r); err != nil { // fetched again: it came back
		return Result{}, err
	}
	if in.capture != nil {
		cur := &d.Revs[len(d.Revs)-1]
		cur.Refetches = append(cur.Refetches, in.capture.ref)
		if err := a.putCapture(tx, in); err != nil {
			return Result{}, err
		}
	}
	if err := saveDoc(tx, d, r); err != nil {
		return Result{}, err
	}
	res := Result{ID: d.ID, Outcome: oc, Revision: r.Revision}
	if oc != OutcomeUnchanged {
		res.Record = r
	}
	return res, nil
}

func (a *Archive) revise(tx *bolt.Tx, in *prepared, d *doc, old *record.Record) (Result, error) {
	// The revision keeps the record's bytes as stored, checksum
	// included: damage stays detectable.
	stored := tx.Bucket(bRecords).Get([]byte(d.ID))
	if err := tx.Bucket(bRevisions).Put(revKey(d.ID, old.Revision), append([]byte{}, stored...)); err != nil {
		return Result{}, err
	}

	seq, err := nextSeq(tx, metaChgSeq)
	if err != nil {
		return Result{}, err
	}
	r := *old
	r.URLs = append([]string{}, old.URLs...)
	fill(&r, in)
	r.Portal = old.Portal // a URL belongs to the portal that stored it first
	r.GoneSince = ""      // fetched again: it came back
	if in.hadCanon {
		r.URL = in.recURL
	}
	r.Revision = old.Revision + 1
	r.LastChanged = r.LastSeen
	if seen := old.LastSeen; seen > r.LastSeen {
		r.LastSeen = seen
	}
	if err := addKeys(tx, in, d, &r); err != nil {
		return Result{}, err
	}
	if err := a.deleteSim(tx, d); err != nil {
		return Result{}, err
	}
	d.SimHash = in.sim
	r.NearDuplicateOf = a.nearDuplicate(tx, in.sim, d.ID)
	if err := a.putSim(tx, d); err != nil {
		return Result{}, err
	}
	if a.hashOwner(tx, in.hash, d.portal()) == "" {
		if err := a.putHash(tx, d, in.hash); err != nil {
			return Result{}, err
		}
	}
	if err := a.putCapture(tx, in); err != nil {
		return Result{}, err
	}
	d.Seq = seq
	d.Revs = append(d.Revs, Revision{Revision: r.Revision, Seq: seq, FetchedAt: utc(in.fetched), ContentHash: in.hash,
		CaptureID: r.CaptureID, CaptureDigest: r.CaptureDigest, Diff: revdiff.Records(old, &r)})
	if err := saveDoc(tx, d, &r); err != nil {
		return Result{}, err
	}
	return Result{ID: d.ID, Outcome: OutcomeRevised, Revision: r.Revision, Record: &r}, nil
}
