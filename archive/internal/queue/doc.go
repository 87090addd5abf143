// Package queue is the archive's durable queues: bbolt buckets of values
// under increasing sequence numbers (8 bytes, big-endian), walked oldest
// first. The archive keeps two: the webhook outbox (archive/outbox.go,
// numbered from a meta sequence) and the print queue of --print-new
// (archive/printq.go, numbered by its bucket's own sequence). Every
// function works inside the caller's transaction; a bucket is created by
// its first Put or Append.
package queue
