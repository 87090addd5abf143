package archive

import "github.com/parc-archiver/parc/archive/internal/revdiff"

// Diff is what changed from one revision to the next.
type Diff = revdiff.Diff

// ParagraphChange is one paragraph edited in place.
type ParagraphChange = revdiff.ParagraphChange
