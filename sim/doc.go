// Package sim is a simulated Vietnamese news portal (modelled on
// vinachem.com.vn) that parc's tests, benchmarks, `parc sim` and
// `parc demo` crawl on loopback. A *Portal is an http.Handler.
//
// # Model
//
// Everything derives from (Options.Seed, article index): titles, bodies,
// bylines, categories and dates are drawn from a PCG generator seeded per
// article, so the portal keeps ~170 bytes of state per article and renders
// a page on demand (40-75 µs of CPU). Truth returns, for every live
// article, exactly what a correct extractor must produce (docs/CONTRACT.md): the
// title, the Asia/Ho_Chi_Minh timestamp at minute precision, the byline as
// printed, and the body as plain paragraphs joined by "\n\n" without lead,
// byline, picture captions, sponsor or navigation text.
//
// Two vendor layouts are rendered:
//
//   - VIEPortal (ASP.NET, articles before 2022 in LayoutMixed): listings
//     /Desktop.aspx/Tin-tuc/<Category>/[?page=N], articles
//     /Desktop.aspx/Tin-tuc/<Category>/<Slug_With_Underscores>/, served
//     case-insensitively like IIS. The timestamp reads
//     "01:39' PM - Thứ tư, 27/01/2021" (no-break spaces around the dash),
//     the upper-case byline is the last, right-aligned paragraph of the
//     content, followed by the vendor's "Sponsor links" block.
//   - VIEApps NGX (newer articles): listings /nd/<category>[/<page>].html,
//     articles /nd/<category>/<slug>.html, the vendor's default templates
//     (div.cms.view.content, div.meta, span.summary, section, …), dates in
//     the .NET vi-VN culture ("03:15 CH @ Thứ Hai - 08 Tháng Giêng, 2024").
//
// A third layout, LayoutRedesign, is only reachable through SetLayout: a
// theme with none of the vendor classes, to make the profile drift.
//
// LayoutGenerated renders every page with a theme derived from
// Options.Seed (package sim/internal/theme; docs/SIMULATOR.md lists its
// axes): headline element and class, class-name vocabulary, nesting, date
// format and position, byline position, sponsor and related blocks,
// category label, lead, <title>, metadata and tags all vary by seed, URLs
// keep the vendor shapes. Same seed, same bytes. Truth is the same Article
// as for the other layouts (byline as printed, without a label; empty when
// the theme prints none). Config emits no selectors for it.
//
// The reference article (sim/seed.txt, Key SeedKey) is always present, on a
// VIEPortal page in category "Tin tập đoàn".
//
// # Traps that are always on
//
// The header shows today's date; some articles are cross-posted in a
// second category (Article.Paths lists both, the canonical link names the
// first); listing links carry tracking parameters (utm_*, fbclid, zarsrc)
// and fragments; VIEPortal links appear in other letter cases; every
// article has a print view (?print=1) whose canonical link is the article;
// robots.txt disallows /Admin/ and the drafts listing that every page
// links. Article pages send ETag and Last-Modified and answer conditional
// requests with 304.
//
// # Faults mode
//
// Faults mode is a flaky, unreliable portal. With Options.Faults, some of the newest articles answer 503 once or
// twice, 429 with Retry-After (seconds, or an HTTP-date computed from
// Options.Now), stall for SlowDelay on the first request, cut their first
// response short of its Content-Length (the connection is closed), are
// served in windows-1258 with combining tone marks, carry malformed HTML,
// or are removed (404, still linked). The home page also links a redirect
// loop, a redirect to Options.OffsiteURL and a page of HugeBytes streamed
// without Content-Length. robots.txt then declares Crawl-delay
// (Options.CrawlDelay). Faults lists them; Requests().Faults counts each
// one served. Attempt counters are per path and safe for concurrent use.
// SetDown (any mode) makes one article answer 503 until it is cleared: a
// persistent fault for testing that failed pages are retried next run.
//
// # Hostile mode
//
// With Options.Hostile, the home page also links pages that attack a
// crawler's limits (HostilePaths): a gzip bomb sent as Content-Encoding:
// x-gzip, one sent as Content-Type: application/x-gzip without an
// encoding (each Options.BombBytes of zeros, default 1 GiB, streamed as a
// repeated 1 MiB gzip member: about a thousandth of that on the wire and
// no compression per request), a 503 with Retry-After: 999999999, a
// listing of Options.HostileLinks distinct links (default 100 000; ?n=N
// per request; streamed) to small pages, and a listing with a link of
// LongLinkBytes. Requests().Hostile counts them.
//
// # Caveats
//
// Retry-After dates use Options.Now, which defaults to a fixed time in
// 2024, so a client on the real clock sees a date in the past. Page 1 of a
// VIEApps listing is only /nd/<category>.html (/nd/<category>/1.html is a
// 404). Truth renders every article: allow ~20 µs per article.
package sim
