// Package extract turns one HTML page into an Article: title, timestamps,
// byline, lead, body, tags and images, with sponsor blocks and other
// boilerplate removed. It is pure: no network, no disk, no clock (relative
// dates use Input.FetchedAt).
//
// # Model
//
// Package internal/htmldoc decodes a page once (charset from the BOM, the
// Content-Type header or a <meta> tag; legacy charsets such as
// windows-1258 included), normalises it to NFC and parses it; Extract does
// that itself, ExtractDocument takes the parsed document. An Extractor,
// built by New from a Profile of CSS selectors, then extracts from that
// document:
//
//  1. the profile's Remove selectors are deleted;
//  2. metadata is read (meta tags, JSON-LD, <link rel=canonical>);
//  3. timestamps come from machine-readable metadata first, then the
//     profile's selector, then date text inside the article container, then
//     HTML comments (see ParseTime for the formats);
//  4. the body is the profile's Body element or, when that selector is empty
//     or matches nothing, the result of generic extraction
//     (go-readability); Article.Extraction says which;
//  5. parc's boilerplate rules run over the body whatever the profile says,
//     in order: sponsor-links, scripts, navigation, share-bars,
//     related-lists, tags, captions, link-density; each removal is recorded
//     in Article.Removed;
//  6. the body becomes paragraphs; a byline printed as the last paragraph
//     (upper case, right-aligned, bold name, credit forms such as
//     "Theo TTXVN") moves to Byline, a lead printed as the first one to Lead;
//     a standfirst printed as a block of its own between the headline and
//     the element holding the body's paragraphs moves to Lead
//     (lead/before-body); leading lines that repeat the headline, the
//     category label, a date line or the byline leave the body
//     (body-start/*), and a leading credit line is the byline when none
//     was found (byline/leading-credit).
//
// # Stages
//
// In the code, ExtractDocument is a sequence of stages over one page's
// state (pageState), each deciding named fields, each in the file named
// after it (category, bylineElements, leadElement and tags share
// elements.go; prepare and assemble are in page.go): candidates (profile
// removals, metadata, the title and body elements, the article
// container), headline (Title), dates (Published, Modified), category,
// bylineElements and leadElement (Byline, Lead and the author candidate
// from elements), tags, body (Extraction, the paragraphs, Images), byline
// (Byline from the paragraphs and the candidates), cleanup (the lead
// paragraph, Body) and assemble (Canonical, Removed, ErrNoArticle).
// Article.Fields records which Method* each field came from.
//
// # Caveats
//
// ExtractDocument mutates the document it is given: collect links first.
// Dates printed without a zone are in Options.Location (Asia/Ho_Chi_Minh
// by default). Generic extraction is tuned for news articles; a listing
// page may still yield a "body". Byline detection is heuristic: a short
// all-capitals closing line is taken as a name.
package extract
