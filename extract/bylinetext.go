package extract

import "github.com/parc-archiver/parc/extract/internal/byname"

// bylineText returns the names of byline text t as printed (see package
// byname): without a label before them, a date or handle after them;
// false when t names no one (a photo credit, a copyright line, a date).
func bylineText(t string) (string, bool) { return byname.Names(cleanText(t)) }
