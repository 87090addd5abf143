package archive

import (
	"context"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/parc-archiver/parc/archive/internal/responses"
	"github.com/parc-archiver/parc/archive/internal/verify"
)

// Problem is one inconsistency found by Verify.
type Problem = verify.Problem

// Verify checks the whole archive in one read transaction (package
// verify): every record and revision decodes and matches its content
// hash, the URL, hash, order and near-duplicate indexes agree with the
// records, and every raw capture decompresses to its digest. It returns
// the problems found, sorted; the error is for failures to read at all
// (and ctx ending).
func (a *Archive) Verify(ctx context.Context) ([]Problem, error) {
	var probs []Problem
	err := a.view(ctx, func(tx *bolt.Tx) error {
		var err error
		probs, err = verify.Run(ctx, verify.Check{Tx: tx, Codec: &a.codec, Tail: loadTail(tx, func(error) {}),
			Buckets: verify.Buckets{Meta: bMeta, Docs: bDocs, Records: bRecords, Revisions: bRevisions, Order: bOrder,
				URLs: bURLs, Hashes: bHashes, Sim: bSim, Captures: bCaptures, Responses: responses.Bucket()}})
		return err
	})
	if err != nil {
		return probs, fmt.Errorf("verify %s: %w", a.path, err)
	}
	return probs, nil
}

func refIDs(refs []CaptureRef) []string {
	out := make([]string, 0, len(refs))
	for _, r := range refs {
		out = append(out, r.ID)
	}
	return out
}
