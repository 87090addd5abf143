package notify_test

import (
	"fmt"

	"github.com/parc-archiver/parc/notify"
)

// A receiver checks X-Parc-Signature against the raw body before parsing it.
func ExampleVerify() {
	body := []byte(`{"id":"article.new:0123456789abcdef:1","event":"article.new"}`)
	header := notify.Sign("s3cret", body) // what parc sends
	fmt.Println(notify.Verify("s3cret", body, header))
	fmt.Println(notify.Verify("wrong", body, header))
	// Output:
	// true
	// false
}
