package archive

import (
	"github.com/parc-archiver/parc/archive/internal/revdiff"
	"github.com/parc-archiver/parc/record"
)

// Diff is what changed from one revision to the next.
type Diff = revdiff.Diff

// ParagraphChange is one paragraph edited in place.
type ParagraphChange = revdiff.ParagraphChange

func diffRecords(old, cur *record.Record) *Diff { return revdiff.Records(old, cur) }
