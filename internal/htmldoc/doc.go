// Package htmldoc turns the bytes of a fetched HTML page into a parsed
// document whose text is valid UTF-8 in Unicode NFC. It is the one place
// where parc decodes pages: the crawler parses with it to find links, and
// package extract to read articles, so both see the same text.
//
// # Model
//
// Parse works in five steps:
//
//  1. Charset. The page's encoding is taken, in this order, from a byte
//     order mark, the charset parameter of the Content-Type header, a
//     <meta charset> or <meta http-equiv="Content-Type"> tag in the first
//     1024 bytes, and else from sniffing (UTF-8 when the bytes are valid
//     UTF-8, windows-1252 otherwise), as golang.org/x/net/html/charset
//     does. A declaration found only in a <meta> tag or by sniffing is not
//     certain: a page that is valid UTF-8 is read as UTF-8 whatever such a
//     declaration says (legacy text with letters outside ASCII is seldom
//     valid UTF-8). Legacy charsets, such as windows-1258 with its
//     combining tone marks, are decoded to UTF-8.
//  2. Repair. A leading byte order mark is dropped, and bytes that are
//     not valid UTF-8 (a page declared UTF-8 with stray bytes) become
//     U+FFFD, so no invalid text reaches the tree.
//  3. NFC. The text is normalised to NFC before parsing, and the text and
//     attribute values of the parsed tree once more afterwards, because a
//     character reference ("e&#769;") can decode to a combining sequence
//     the byte-level pass did not see.
//  4. Code. The text of scripts and style sheets is left out when it
//     seems to be an eighth of the page or more (Parse and ParseCut;
//     ParseFull, for a replay, keeps it): no reader of parc's
//     tree uses it, and golang.org/x/net/html tokenizes it a byte at a
//     time, a fifth of parsing a news page whose head carries its CSS and
//     JavaScript inline. Data scripts (JSON-LD, any type but JavaScript's)
//     keep their text. The texts are found as the tokenizer finds them
//     (escaped "<!--<script>" included), up to the first <svg>, <math> or
//     <frameset> tag, after which the parser decides what is raw text; a
//     fuzz target holds the tree to the tree of the whole page less those
//     texts.
//  5. Parse. The page is parsed once with golang.org/x/net/html (the HTML5
//     algorithm) and wrapped in a goquery document.
//
// Most of what parc fetches is ASCII and Vietnamese in NFC, which is NFC
// whatever surrounds each rune (see package internal/nfc). Parse scans
// for that case first, eight ASCII bytes at a time, and then skips both
// normalisation passes: the one before parsing when every rune of the page
// is NFC-inert, the one after when, moreover, every character reference
// decodes to NFC-inert runes. The tests hold these shortcuts to the full
// normalisation.
//
// # Caveats
//
// Only the first 1024 bytes are searched for a <meta> declaration (as
// browsers do). A page in a legacy charset that declares it only in a
// <meta> tag but whose bytes happen to be valid UTF-8 is read as UTF-8.
// An unknown charset name in the Content-Type header is ignored, as if the
// header had none. Invalid bytes are replaced, not guessed at: a
// windows-1252 page served as UTF-8 keeps its letters as U+FFFD. The name
// Parse returns is the canonical name of the charset decoded from
// ("windows-1252" for a page declared "iso-8859-1").
package htmldoc
