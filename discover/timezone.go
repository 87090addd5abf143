package discover

import (
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strings"

	"github.com/PuerkitoBio/goquery"
)

// offsetRE finds the offset of a timestamp with a time of day.
var offsetRE = regexp.MustCompile(`\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})$`)

// jsonLDDateRE finds JSON-LD's dates.
var jsonLDDateRE = regexp.MustCompile(`"date(?:Published|Modified|Created)"\s*:\s*"([^"]+)"`)

// pageOffsets are the UTC offsets of the page's machine-readable
// timestamps (article:published_time and its kin, JSON-LD dates,
// <time datetime>), as "+07:00"; "Z" is "+00:00".
func pageOffsets(doc *goquery.Document) []string {
	var stamps []string
	doc.Find(`meta[property="article:published_time"], meta[property="article:modified_time"], meta[itemprop="datePublished"], meta[itemprop="dateModified"]`).Each(func(_ int, m *goquery.Selection) {
		stamps = append(stamps, m.AttrOr("content", ""))
	})
	doc.Find("time[datetime]").Each(func(_ int, t *goquery.Selection) { stamps = append(stamps, t.AttrOr("datetime", "")) })
	doc.Find(`script[type="application/ld+json"]`).Each(func(_ int, sc *goquery.Selection) {
		for _, m := range jsonLDDateRE.FindAllStringSubmatch(sc.Text(), -1) {
			stamps = append(stamps, m[1])
		}
	})
	var out []string
	for _, st := range stamps {
		if m := offsetRE.FindStringSubmatch(strings.TrimSpace(st)); m != nil {
			out = append(out, normOffset(m[1]))
		}
	}
	return out
}

func normOffset(o string) string {
	if o == "Z" {
		return "+00:00"
	}
	if len(o) == 5 { // +0700
		return o[:3] + ":" + o[3:]
	}
	return o
}

// langZones are the zones parc assumes for a page language (the
// language's most populous zone). offsetZones name the zone of an
// offset; an offset not listed becomes a fixed-offset Etc/GMT zone
// (whole hours), and the language's zone wins when its offset is the
// pages' (lang "vi" and +07:00: Asia/Ho_Chi_Minh, not Asia/Bangkok).
var (
	langZones = map[string]string{
		"vi": "Asia/Ho_Chi_Minh", "th": "Asia/Bangkok", "id": "Asia/Jakarta", "ms": "Asia/Kuala_Lumpur",
		"ja": "Asia/Tokyo", "ko": "Asia/Seoul", "zh": "Asia/Shanghai", "zh-tw": "Asia/Taipei", "lo": "Asia/Vientiane",
		"km": "Asia/Phnom_Penh", "fil": "Asia/Manila", "tl": "Asia/Manila", "hi": "Asia/Kolkata",
		"de": "Europe/Berlin", "fr": "Europe/Paris", "es": "Europe/Madrid", "it": "Europe/Rome", "nl": "Europe/Amsterdam",
		"pl": "Europe/Warsaw", "ru": "Europe/Moscow", "uk": "Europe/Kyiv", "en-gb": "Europe/London",
	}
	langOffsets = map[string]string{
		"Asia/Ho_Chi_Minh": "+07:00", "Asia/Bangkok": "+07:00", "Asia/Jakarta": "+07:00", "Asia/Kuala_Lumpur": "+08:00",
		"Asia/Tokyo": "+09:00", "Asia/Seoul": "+09:00", "Asia/Shanghai": "+08:00", "Asia/Taipei": "+08:00",
		"Asia/Vientiane": "+07:00", "Asia/Phnom_Penh": "+07:00", "Asia/Manila": "+08:00", "Asia/Kolkata": "+05:30",
	}
	offsetZones = map[string]string{
		"+07:00": "Asia/Ho_Chi_Minh", // parc's home: Vietnam (also Bangkok, Jakarta: the same clock all year)
		"+05:30": "Asia/Kolkata", "+05:45": "Asia/Kathmandu", "+06:30": "Asia/Yangon",
		"+03:30": "Asia/Tehran", "+04:30": "Asia/Kabul", "+09:30": "Australia/Darwin", "+08:45": "Australia/Eucla",
	}
)

// zoneOf names the zone for the pages' offsets and language: the
// language's zone when it keeps that offset, a zone of the offset,
// else ok false.
func zoneOf(offset, lang string) (string, bool) {
	if z, ok := langZone(lang); ok && langOffsets[z] == offset {
		return z, true
	}
	if z, ok := offsetZones[offset]; ok {
		return z, true
	}
	var sign byte
	var h, m int
	if _, err := fmt.Sscanf(offset, "%c%02d:%02d", &sign, &h, &m); err != nil || m != 0 {
		return "", false
	}
	if h == 0 {
		return "UTC", true
	}
	// Etc/GMT's signs are POSIX's: Etc/GMT-7 is UTC+07:00.
	if sign == '+' {
		return fmt.Sprintf("Etc/GMT-%d", h), true
	}
	return fmt.Sprintf("Etc/GMT+%d", h), true
}

func langZone(lang string) (string, bool) {
	lang = strings.ToLower(lang)
	if z, ok := langZones[lang]; ok {
		return z, true
	}
	base, _, _ := strings.Cut(lang, "-")
	z, ok := langZones[base]
	return z, ok
}

// mostCommon is the most frequent value (the first in sort order on a
// tie), "" for none.
func mostCommon(vals []string) (string, int) {
	n := map[string]int{}
	for _, v := range vals {
		if v != "" {
			n[v]++
		}
	}
	keys := make([]string, 0, len(n))
	for k := range n {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	best := ""
	for _, k := range keys {
		if n[k] > n[best] {
			best = k
		}
	}
	return best, n[best]
}

// timezone decides the portal's zone from its article pages: their
// offsets (UTC ones say nothing of where the site is, unless nothing else
// does), else their language, else def.
func (s *sampler) timezone(inf *inference, def string) (zone, why string) {
	var offsets, langs []string
	utc := 0
	for _, p := range inf.articlePaths {
		pg := s.pages[s.urlOf(p)]
		if pg == nil || !pg.ok {
			continue
		}
		for _, o := range pg.offsets {
			if o == "+00:00" {
				utc++
				continue
			}
			offsets = append(offsets, o)
		}
		langs = append(langs, pg.lang)
	}
	if home := s.pages[s.start.String()]; home != nil {
		langs = append(langs, home.lang)
	}
	lang, _ := mostCommon(langs)
	if off, n := mostCommon(offsets); off != "" {
		if z, ok := zoneOf(off, lang); ok {
			return z, fmt.Sprintf("%d timestamps on the article pages carry %s (language %q)", n, off, lang)
		}
	}
	if z, ok := langZone(lang); ok {
		return z, fmt.Sprintf("no local offset on the pages; their language is %q", lang)
	}
	if def == "" {
		def = "Asia/Ho_Chi_Minh"
	}
	if utc > 0 {
		return def, fmt.Sprintf("the pages' %d timestamps are in UTC and their language (%q) names no zone: the default", utc, lang)
	}
	return def, fmt.Sprintf("no offset on the pages and no language parc knows (%q): the default", lang)
}

func pathOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	if p := u.EscapedPath(); p != "" {
		return p
	}
	return "/"
}
