// Package boltcopy holds bbolt loops parc needs and bbolt does not give
// safely: Buckets copies a database bucket by bucket with a bounded
// transaction size and a context (bbolt's Compact has neither), DeleteAt
// deletes while iterating without skipping keys (etcd-io/bbolt#146).
package boltcopy

import (
	"context"
	"io"
	"runtime"
	"sync"
	"sync/atomic"

	bolt "go.etcd.io/bbolt"
)

// TxBytes is the usual bound on the keys and values one transaction of
// the copy writes (bbolt's Compact takes the same).
const TxBytes = 64 << 20

// Transform returns the value to write for key k of the bucket at path,
// whose value in the source is v. It is called from several goroutines at
// once (Buckets transforms a batch of values on every core).
type Transform func(path [][]byte, k, v []byte) ([]byte, error)

// Buckets copies every bucket of src into the empty database dst, in
// key order with full pages, committing every maxTx bytes, as bbolt's
// Compact does; unlike it, it stops when ctx ends. With transform set,
// each value written is what transform returns for it.
func Buckets(ctx context.Context, dst *bolt.DB, src *bolt.Tx, maxTx int64, transform Transform) error {
	cp := &bucketCopy{ctx: ctx, db: dst, max: maxTx, transform: transform}
	if err := cp.begin(); err != nil {
		return err
	}
	defer func() { cp.tx.Rollback() }()
	err := src.ForEach(func(name []byte, b *bolt.Bucket) error {
		return cp.bucket([][]byte{name}, b)
	})
	if err != nil {
		return err
	}
	return cp.tx.Commit()
}

// bucketCopy is the state of Buckets: the open write transaction and
// how much it wrote.
type bucketCopy struct {
	ctx       context.Context
	db        *bolt.DB
	tx        *bolt.Tx
	size      int64
	max       int64
	n         int
	transform Transform
}

func (c *bucketCopy) begin() error {
	tx, err := c.db.Begin(true)
	if err != nil {
		return err
	}
	c.tx, c.size = tx, 0
	return nil
}

// target returns the bucket at path in the current transaction, creating
// it (with seq) when create is set.
func (c *bucketCopy) target(path [][]byte, create bool, seq uint64) (*bolt.Bucket, error) {
	var b *bolt.Bucket
	for i, name := range path {
		var err error
		switch {
		case i == 0 && create && len(path) == 1:
			b, err = c.tx.CreateBucket(name)
		case i == 0:
			b = c.tx.Bucket(name)
		case create && i == len(path)-1:
			b, err = b.CreateBucket(name)
		default:
			b = b.Bucket(name)
		}
		if err != nil {
			return nil, err
		}
	}
	if create {
		return b, b.SetSequence(seq)
	}
	b.FillPercent = 1.0
	return b, nil
}

// bucket copies src, found at path, and everything in it.
func (c *bucketCopy) bucket(path [][]byte, src *bolt.Bucket) error {
	if err := c.ctx.Err(); err != nil {
		return err
	}
	if _, err := c.target(path, true, src.Sequence()); err != nil {
		return err
	}
	var batch []pair
	flush := func() error {
		if err := c.transformAll(path, batch); err != nil {
			return err
		}
		for _, p := range batch {
			if err := c.put(path, p.k, p.v); err != nil {
				return err
			}
		}
		batch = batch[:0]
		return nil
	}
	cur := src.Cursor()
	for k, v := cur.First(); k != nil; k, v = cur.Next() {
		if v == nil { // a nested bucket
			if err := flush(); err != nil {
				return err
			}
			if err := c.bucket(append(path[:len(path):len(path)], k), src.Bucket(k)); err != nil {
				return err
			}
			continue
		}
		if batch = append(batch, pair{k: k, v: v}); len(batch) == transformBatch || c.transform == nil {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// transformBatch is how many values of a bucket are transformed at once,
// on every core, before they are written in key order.
const transformBatch = 256

// pair is one key and value of a bucket being copied.
type pair struct {
	k, v []byte
	err  error
}

// transformAll replaces the values of batch by what transform returns for
// them, on every core, and returns the first error.
func (c *bucketCopy) transformAll(path [][]byte, batch []pair) error {
	if c.transform == nil || len(batch) == 0 {
		return nil
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(batch)) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < len(batch); i = int(next.Add(1) - 1) {
				batch[i].v, batch[i].err = c.transform(path, batch[i].k, batch[i].v)
			}
		})
	}
	wg.Wait()
	for _, p := range batch {
		if p.err != nil {
			return p.err
		}
	}
	return nil
}

// put writes one key, first committing the transaction when it is full.
func (c *bucketCopy) put(path [][]byte, k, v []byte) error {
	if c.n++; c.n%1024 == 0 {
		if err := c.ctx.Err(); err != nil {
			return err
		}
	}
	if sz := int64(len(k) + len(v)); c.size+sz > c.max && c.size > 0 {
		if err := c.tx.Commit(); err != nil {
			return err
		}
		if err := c.begin(); err != nil {
			return err
		}
	}
	c.size += int64(len(k) + len(v))
	b, err := c.target(path, false, 0)
	if err != nil {
		return err
	}
	return b.Put(k, v)
}

// DeleteAt deletes the pair at c, whose key is k, and returns the next
// pair. It seeks again instead of calling Next: after Cursor.Delete on a
// node the transaction changed, Next skips a key (etcd-io/bbolt#146).
func DeleteAt(c *bolt.Cursor, k []byte) (next, v []byte, err error) {
	key := append([]byte(nil), k...)
	if err := c.Delete(); err != nil {
		return nil, nil, err
	}
	next, v = c.Seek(key)
	return next, v, nil
}

// CtxWriter fails writes once its context has ended, which stops a long
// copy that has no context of its own (bbolt's Tx.WriteTo).
type CtxWriter struct {
	Ctx context.Context
	W   io.Writer
}

func (c CtxWriter) Write(p []byte) (int, error) {
	if err := c.Ctx.Err(); err != nil {
		return 0, err
	}
	return c.W.Write(p)
}
