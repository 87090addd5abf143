package portals

import (
	"encoding/json"
	"fmt"
	"sync"

	bolt "go.etcd.io/bbolt"

	"github.com/parc-archiver/parc/archive/internal/fstore"
)

// Info is one portal the archive holds records or a frontier of.
type Info struct {
	Name string `json:"name"`
	// Records counts the records it stored (redacted ones included).
	Records int `json:"records"`
	// NewestFirstSeen is the newest first_seen of its records (RFC 3339).
	NewestFirstSeen string `json:"newest_first_seen,omitempty"`
	// Run is its current or last crawl run; RunFinished says whether it
	// finished; Pending and Failed count its frontier's queued and failed
	// items, GaveUp the URLs given up on.
	Run         uint64 `json:"run"`
	RunFinished bool   `json:"run_finished"`
	Pending     int    `json:"frontier_pending"`
	Failed      int    `json:"frontier_failed"`
	GaveUp      int    `json:"frontier_gave_up"`
}

// Infos describes every registered portal, by number; meta is the meta
// bucket, frontierKey the meta key of the first portal's frontier state.
func Infos(tx *bolt.Tx, meta []byte, frontierKey string) ([]Info, error) {
	all, err := All(tx)
	if err != nil {
		return nil, err
	}
	out := make([]Info, 0, len(all))
	for _, p := range all {
		info := Info{Name: p.Name, Records: p.Records, NewestFirstSeen: p.Newest}
		st, err := FrontierState(tx, meta, frontierKey, p.Num)
		if err != nil {
			return nil, err
		}
		info.Run, info.RunFinished = st.Run, st.Finished
		l := LayoutOf(p.Num, nil)
		info.Pending, info.Failed, info.GaveUp = KeyCount(tx, l.Queue), KeyCount(tx, l.Failed), KeyCount(tx, l.GaveUp)
		out = append(out, info)
	}
	return out, nil
}

// KeyCount is how many keys the bucket name holds (0 when missing).
func KeyCount(tx *bolt.Tx, name []byte) int {
	if b := tx.Bucket(name); b != nil {
		return b.Stats().KeyN
	}
	return 0
}

// FrontierState reads portal num's frontier run state, kept under
// MetaKey(key, num).
func FrontierState(tx *bolt.Tx, meta []byte, key string, num uint32) (fstore.State, error) {
	var st fstore.State
	if v := tx.Bucket(meta).Get([]byte(MetaKey(key, num))); v != nil {
		if err := json.Unmarshal(v, &st); err != nil {
			return st, fmt.Errorf("frontier state: %w", err)
		}
	}
	return st, nil
}

// Nums resolves names to their portal numbers, sorted; an unknown name
// is number 0, which no record has. An archive without a registry (a
// read-only open of one from before portals) holds one portal: any name
// is its.
func Nums(tx *bolt.Tx, names []string) ([]uint32, error) {
	if tx.Bucket(Bucket) == nil {
		return []uint32{Legacy}, nil
	}
	nums := make([]uint32, 0, len(names))
	for _, name := range names {
		e, _, err := Get(tx, name)
		if err != nil {
			return nil, err
		}
		nums = append(nums, e.Num)
	}
	sortNums(nums)
	return nums, nil
}

func sortNums(n []uint32) {
	for i := 1; i < len(n); i++ {
		for j := i; j > 0 && n[j] < n[j-1]; j-- {
			n[j], n[j-1] = n[j-1], n[j]
		}
	}
}

// Every returns the number of every portal, the first (1) included,
// registered or not (an archive from before portals that never ran
// since).
func Every(tx *bolt.Tx) []uint32 {
	nums := []uint32{Legacy}
	all, _ := All(tx)
	for _, p := range all {
		if p.Num != Legacy {
			nums = append(nums, p.Num)
		}
	}
	return nums
}

// RunLogs returns the run-log buckets of the named portals (none named:
// every portal); missing ones are nil.
func RunLogs(tx *bolt.Tx, names []string) []*bolt.Bucket {
	nums := Every(tx)
	if len(names) > 0 {
		nums, _ = Nums(tx, names)
	}
	bs := make([]*bolt.Bucket, 0, len(nums))
	for _, num := range nums {
		bs = append(bs, tx.Bucket(RunsBucket(num)))
	}
	return bs
}

// Claims are the portals (by name) with a frontier open in this process.
type Claims struct {
	mu   sync.Mutex
	open map[string]bool
}

// Claim notes that portal name has a frontier open; false when it had
// already.
func (c *Claims) Claim(name string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.open[name] {
		return false
	}
	if c.open == nil {
		c.open = map[string]bool{}
	}
	c.open[name] = true
	return true
}

// Release ends name's claim.
func (c *Claims) Release(name string) {
	c.mu.Lock()
	delete(c.open, name)
	c.mu.Unlock()
}
