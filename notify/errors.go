package notify

import "errors"

// ErrStatus is wrapped by delivery errors for a non-2xx answer.
var ErrStatus = errors.New("webhook answered with a non-2xx status")
