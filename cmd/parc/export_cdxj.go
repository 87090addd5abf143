package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/parc-archiver/parc/export"
)

// writeCDXJ indexes the finished WARC file warc into a CDXJ file at path
// (atomically, like --out), naming the WARC by its base name as replay
// tools expect when the index sits beside it.
func writeCDXJ(ctx context.Context, warc, path string) error {
	f, err := os.Open(warc)
	if err != nil {
		return fmt.Errorf("cdxj: %w", err)
	}
	defer f.Close()
	_, err = writeAtomically(path, io.Discard, func(w io.Writer) (int, error) {
		return export.IndexWARC(ctx, w, f, filepath.Base(warc))
	})
	if err != nil {
		return fmt.Errorf("cdxj: %w", err)
	}
	return nil
}
