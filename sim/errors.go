package sim

import "errors"

// ErrUnknownArticle is returned by Edit and Remove for a Key the portal
// never published.
var ErrUnknownArticle = errors.New("unknown article")
