package titlematch

import "regexp"

// organisation is a name with a legal form ("GmbH", "e.V.", "Ltd",
// "Inc.") or a web address in it: a company or an association, as
// metadata names the site's publisher or its web agency, never the
// author of an article.
var organisation = regexp.MustCompile(`(?i)(?:^|[\s,])(?:gmbh|mbh|e\.\s?v\.?|ag|kg|ltd\.?|inc\.?|llc|plc|corp\.?|s\.a\.|s\.r\.l\.|b\.v\.|n\.v\.|oy|ab|as|sarl|sas|co\.\s?ltd\.?)(?:$|[\s,.])|\bwww\.|https?://|\.(?:com|de|org|net|at|ch|fr|uk|vn|info|eu)\b`)

// isOrganisation reports whether s is an organisation's name by its form:
// "Hanns-Seidel-Stiftung e.V.", "Web Commerce GmbH www.w-commerce.de".
func isOrganisation(s string) bool { return organisation.MatchString(s) }
