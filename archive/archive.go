package archive

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/parc-archiver/parc/archive/internal/boltcopy"
	"github.com/parc-archiver/parc/archive/internal/capture"
	"github.com/parc-archiver/parc/archive/internal/filelock"
	"github.com/parc-archiver/parc/archive/internal/guard"
	"github.com/parc-archiver/parc/archive/internal/pagefile"
	"github.com/parc-archiver/parc/archive/internal/portals"
	"github.com/parc-archiver/parc/archive/internal/runlog"
	"github.com/parc-archiver/parc/archive/internal/tail"
	bolt "go.etcd.io/bbolt"
	"golang.org/x/sync/semaphore"
)

// SchemaVersion is the version of the on-disk layout this code writes:
// one more than the last migration upgrades from (see migrations).
const SchemaVersion = 7

const magic = "parc-archive"

// Bucket names. Values of records are the pre-encoded export JSON.
var (
	bMeta      = []byte("meta")      // magic, schema, sequences, cursors, user meta
	bRecords   = []byte("records")   // id -> current record.Record JSON, framed (package checksum)
	bDocs      = []byte("docs")      // id -> internal doc (keys, revisions, simhash)
	bRevisions = []byte("revisions") // id + rev (4 bytes) -> superseded record.Record JSON, framed
	bOrder     = []byte("order")     // order seq (8 bytes) -> head (id, change seq, published, category, portal number)
	bURLs      = []byte("urls")      // canon key -> id
	bHashes    = []byte("hashes")    // content hash (scoped to its portal: portals.HashKey) -> id
	bSim       = []byte("simhash")   // band (1) + value (2) + id -> empty
	bCaptures  = []byte("captures")  // capture id -> encoded capture
	// The first portal's frontier: queue seq (8 bytes) -> frontier item
	// JSON; canon key -> run (8 bytes) + status (1: 0 queued or done, 2
	// failed); canon key -> frontier item JSON (failed in its run; failed
	// for good: a 4xx). Portal N > 1 has the same buckets named with ".N"
	// (portals.LayoutOf).
	bQueue, bSeen, bFailed, bGaveUp = []byte("fqueue"), []byte("fseen"), []byte("ffailed"), []byte("fgaveup")
	bRuns                           = []byte("runs") // seq (8 bytes) -> run stats JSON, the first portal's; "runs.N" portal N's
	allBuckets                      = [][]byte{bMeta, bRecords, bDocs, bRevisions, bOrder, bURLs, bHashes, bSim, bCaptures, bQueue, bSeen, bFailed, bGaveUp, bRuns, portals.Bucket}
)

// Keys in the meta bucket.
const (
	metaMagic    = "magic"
	metaSchema   = "schema"
	metaOrderSeq = "seq.order"  // last record order sequence
	metaChgSeq   = "seq.change" // last change sequence (new record or revision)
	metaQueueSeq = "seq.queue"  // last frontier queue sequence (portal N > 1: "seq.queue.N")
	metaRunSeq   = "seq.runs"   // last run-stats sequence, over all portals
	metaFrontier = "frontier"   // frontier run state JSON (portal N > 1: "frontier.N")
	prefixCursor = "cursor."    // export cursors
	prefixUser   = "user."      // GetMeta/SetMeta
)

// Options configures Open. The zero value opens read-write, fails at once
// when another process holds the archive, syncs every commit and keeps no
// raw captures.
type Options struct {
	// ReadOnly opens with a shared lock: several readers may share the
	// archive, but not with a writer. Checked (read-only) skips the walk of
	// every page before bbolt maps the file: the caller opened it, unchanged,
	// before. Recheck walks it even when it is stamped sound (parc verify).
	ReadOnly, Checked, Recheck bool
	// OnWait, when set, is called once if Open has to wait for another
	// process's lock.
	OnWait func()
	// LockTimeout is how long to wait for another process's lock; 0 fails
	// at once with ErrLocked.
	LockTimeout time.Duration
	// NoSync skips fsync on commit (faster; a power cut may lose the last
	// commits, a process crash does not).
	NoSync bool
	// KeepRaw stores each Page.Capture, compressed.
	KeepRaw bool
	// Portal is the default portal name for records whose Page has none,
	// frontiers whose FrontierOptions have none and run records without
	// one.
	Portal string
	// Logger receives diagnostics; nil discards them.
	Logger *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// BatchSize is how many queued writes are committed in one
	// transaction at most; 0 means 500.
	BatchSize int
	// BatchDelay is how long a queued write may wait for its batch to
	// fill; 0 means 200ms.
	BatchDelay time.Duration
	// BatchBytes bounds a batch by the memory its writes hold (pages,
	// their raw captures, compressed and not): a batch is committed once
	// it holds this much, and writers wait while twice this much is queued
	// and not committed yet. 0 means 4 MiB (~80 pages with 32 KB raw
	// captures; 8 MiB cost ~25 MB more peak heap for ~7 % less CPU).
	BatchBytes int64
}

// maxTxNodes bounds the B+tree nodes one write transaction materialises:
// a batch whose writes touched more is committed in several transactions.
// Each node costs a page image and its decoded entries (~10 KB); with keys
// spread over many buckets (URLs, hashes, simhash bands, ids) a batch
// touches up to one node per key written, so without the bound a commit's
// memory would grow with the archive until every batch key hits its own
// leaf.
const maxTxNodes = 512

// Archive is an open parc archive (a bbolt file). It is safe for
// concurrent use. All writes go through one committer goroutine that
// commits queued pages and frontier updates in FIFO order, in batches.
type Archive struct {
	db   *guard.DB
	path string
	opts Options
	log  *slog.Logger

	// committer
	mu      sync.RWMutex // guards closed; held shared while sending to ops
	closed  bool
	ops     chan *op
	queued  *semaphore.Weighted // bytes held by queued, uncommitted ops
	txNodes int64               // maxTxNodes; tests lower it
	tailMax int                 // tailMax; tests lower it
	txns    atomic.Int64        // write transactions the committer ran
	stopped chan struct{}
	errMu   sync.Mutex
	lastErr error // first commit error since the last Flush

	codec capture.Codec // pooled capture compression
	tail  *tail.Tail    // committer only: index entries of the newest records
	// unstored holds the frontier keys of submitted pages whose store
	// failed, until the frontier's Done for them turns into a failure
	// (Frontier.Done); committer only.
	unstored map[string]bool

	frontiers portals.Claims // portals with a Frontier open
}

// Open opens (creating it unless read-only) the archive at path.
func Open(path string, opts Options) (*Archive, error) {
	if opts.BatchSize <= 0 {
		opts.BatchSize = 500
	}
	if opts.BatchDelay <= 0 {
		opts.BatchDelay = 200 * time.Millisecond
	}
	if opts.BatchBytes <= 0 {
		opts.BatchBytes = 4 << 20
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	log = log.With("component", "archive")
	if opts.ReadOnly {
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("open archive %s: %w", path, err)
		}
	}
	timeout := opts.LockTimeout
	if timeout <= 0 {
		timeout = time.Nanosecond // bbolt: 0 would wait forever
	}
	release, err := filelock.Check(path, !opts.ReadOnly, timeout, opts.OnWait, func() error {
		return pagefile.Sound(path, pagefile.Opening{Writer: !opts.ReadOnly, Quick: opts.Checked, Recheck: opts.Recheck, Now: opts.Now()})
	})
	if err != nil {
		return nil, openError(path, err)
	}
	defer release()
	db, err := guard.Open(path, &bolt.Options{
		Timeout:         filelock.Wait(!opts.ReadOnly, timeout),
		ReadOnly:        opts.ReadOnly,
		NoSync:          opts.NoSync,
		NoFreelistSync:  false,
		InitialMmapSize: guard.MapSize(opts.ReadOnly),
	}, opts.Now)
	if err != nil {
		return nil, openError(path, err)
	}
	a := &Archive{db: db, path: path, opts: opts, log: log, txNodes: maxTxNodes,
		tailMax: tailMax, tail: tail.New(math.MaxUint64)}
	if err := a.initSchema(); err != nil {
		db.Close()
		return nil, err
	}
	if !opts.ReadOnly {
		if err := a.finishRename(db.Update); err != nil { // one a crash interrupted
			db.Close()
			return nil, err
		}
		if err := db.View(func(tx *bolt.Tx) error {
			a.tail = loadTail(tx, func(err error) {
				log.Warn("left out of the near-duplicate and content-hash index", "err", err)
			})
			return nil
		}); err != nil {
			db.Close()
			return nil, fmt.Errorf("open archive %s: %w", path, err)
		}
		filelock.WritePID(path, opts.Now())
		a.ops = make(chan *op, opts.BatchSize)
		a.queued = semaphore.NewWeighted(2 * opts.BatchBytes)
		a.stopped = make(chan struct{})
		go a.commitLoop()
	}
	return a, nil
}

// initSchema checks the magic and version, then, for a writable open,
// creates a new archive's layout or migrates an older one (migrate.go).
func (a *Archive) initSchema() error {
	var version int
	err := a.db.View(func(tx *bolt.Tx) error {
		var err error
		version, err = a.readSchema(tx)
		return err
	})
	if err != nil {
		return err
	}
	if a.opts.ReadOnly {
		if version == 0 {
			return fmt.Errorf("archive %s: %w (empty)", a.path, ErrNotArchive)
		}
		return nil
	}
	if version == 0 {
		return a.db.Update(createLayout)
	}
	return a.migrate(version)
}

// readSchema returns the schema version of the archive in tx, 0 for a new
// (empty) file.
func (a *Archive) readSchema(tx *bolt.Tx) (int, error) {
	m := tx.Bucket(bMeta)
	if m == nil {
		empty := true
		_ = tx.ForEach(func([]byte, *bolt.Bucket) error { empty = false; return nil })
		if !empty {
			return 0, fmt.Errorf("archive %s: %w (bbolt file without parc metadata)", a.path, ErrNotArchive)
		}
		return 0, nil
	}
	if string(m.Get([]byte(metaMagic))) != magic {
		return 0, fmt.Errorf("archive %s: %w (bad magic)", a.path, ErrNotArchive)
	}
	v, err := strconv.Atoi(string(m.Get([]byte(metaSchema))))
	if err != nil || v < 1 {
		return 0, fmt.Errorf("archive %s: %w: %q", a.path, ErrSchema, m.Get([]byte(metaSchema)))
	}
	if v > SchemaVersion {
		return 0, fmt.Errorf("archive %s has schema %d, this parc reads up to %d (upgrade parc): %w", a.path, v, SchemaVersion, ErrSchema)
	}
	return v, nil
}

// Path returns the archive's file path.
func (a *Archive) Path() string { return a.path }

// ReadOnly reports whether the archive was opened read-only.
func (a *Archive) ReadOnly() bool { return a.ops == nil }

// Close commits everything queued, stops the committer and closes the
// file, releasing the lock. Writers and frontiers must not be used after.
func (a *Archive) Close() error {
	a.mu.Lock()
	if a.closed {
		a.mu.Unlock()
		return nil
	}
	a.closed = true
	a.mu.Unlock()
	var err error
	if a.ops != nil {
		close(a.ops)
		<-a.stopped
		err = a.takeErr()
		defer filelock.RemovePID(a.path)
	}
	if cerr := a.db.Close(); cerr != nil && err == nil {
		err = fmt.Errorf("close archive %s: %w", a.path, cerr)
	}
	return err
}

// GetMeta returns a value stored with SetMeta, nil when unset.
func (a *Archive) GetMeta(key string) ([]byte, error) {
	var v []byte
	err := a.db.View(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bMeta).Get([]byte(prefixUser + key)); b != nil {
			v = append([]byte{}, b...)
		}
		return nil
	})
	return v, err
}

// SetMeta stores a small bookkeeping value (e.g. "listings walked once"),
// committed in order with queued pages; it returns once committed.
func (a *Archive) SetMeta(key string, v []byte) error {
	v = append([]byte{}, v...)
	return a.do(context.Background(), func(tx *bolt.Tx) error {
		return tx.Bucket(bMeta).Put([]byte(prefixUser+key), v)
	})
}

// RecordRun appends the record of one crawl run (package runrecord's
// JSON, opaque but for its "portal" member; none: Options.Portal); the
// last 100 of each portal are kept and reported by Stats and Runs. It
// returns once committed.
func (a *Archive) RecordRun(ctx context.Context, raw []byte) error {
	b := append([]byte(nil), raw...)
	var named struct {
		Portal string `json:"portal"`
	}
	if err := json.Unmarshal(b, &named); err != nil {
		return fmt.Errorf("record run: %w", err)
	}
	if named.Portal == "" {
		named.Portal = a.opts.Portal
	}
	return a.do(ctx, func(tx *bolt.Tx) error {
		num, err := a.register(tx, named.Portal)
		if err != nil {
			return err
		}
		seq, err := nextSeq(tx, metaRunSeq)
		if err != nil {
			return err
		}
		return runlog.Append(tx.Bucket(portals.RunsBucket(num)), seq, b)
	})
}

// Backup writes a consistent copy of the archive to w (a bbolt file),
// while writes go on. It stops with ctx's error when ctx ends (the copy
// is then incomplete: write to a temporary file).
func (a *Archive) Backup(ctx context.Context, w io.Writer) error {
	return a.view(ctx, func(tx *bolt.Tx) error {
		if _, err := tx.WriteTo(boltcopy.CtxWriter{Ctx: ctx, W: w}); err != nil {
			return fmt.Errorf("backup %s: %w", a.path, err)
		}
		return nil
	})
}

// view runs fn in a read transaction unless ctx has ended already: for
// reads short enough that checking once is all there is to honour.
func (a *Archive) view(ctx context.Context, fn func(tx *bolt.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return a.db.View(fn)
}

func u64(v uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, v)
	return b
}

func getU64(b *bolt.Bucket, key string) uint64 {
	v := b.Get([]byte(key))
	if len(v) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(v)
}

// nextSeq increments and returns a sequence kept in the meta bucket.
func nextSeq(tx *bolt.Tx, key string) (uint64, error) {
	m := tx.Bucket(bMeta)
	v := getU64(m, key) + 1
	if err := m.Put([]byte(key), u64(v)); err != nil {
		return 0, fmt.Errorf("sequence %s: %w", key, err)
	}
	return v, nil
}
