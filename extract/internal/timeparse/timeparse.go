// Package timeparse reads timestamps as Vietnamese and English news pages
// print them (the table in docs/PORTAL.md): numeric and worded dates,
// .NET vi-VN AM/PM words (SA/CH), weekdays, prefixes, zones, RFC 3339,
// unix seconds and relative forms. Patterns match a folded form of the
// text (NFC, lower case, diacritics removed), so NFD input and text
// without diacritics parse alike. It is pure: the current time is passed
// in for relative forms.
package timeparse

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Plausible years for an article timestamp. Anything outside is treated as
// not a date (page counters, phone numbers, prices).
const (
	minYear = 1990
	maxYear = 2100
)

// Parser holds the compiled patterns of ParseTime. Patterns match the
// folded form of the input: NFC, lower case, Vietnamese diacritics removed
// ("Tháng Giêng" -> "thang gieng", "đ" -> "d").
type Parser struct {
	isoDate   *regexp.Regexp
	numDate   *regexp.Regexp
	dotDateYY *regexp.Regexp // 25.04.24: day, month, two-digit year, between dots
	wordDate  *regexp.Regexp // day thang month [nam] year
	monthDay  *regexp.Regexp // thang month day, year
	enDMY     *regexp.Regexp // 2 January 2006
	enMDY     *regexp.Regexp // January 2, 2006
	clock     *regexp.Regexp
	zone      *regexp.Regexp
	relAgo    *regexp.Regexp
	relDay    *regexp.Regexp
	unix      *regexp.Regexp
	viMonths  map[string]int
	enMonths  map[string]int
	relUnits  map[string]time.Duration
	isoLayout []string
}

// Vietnamese month words after "tháng"/"thg", folded; longest first so
// that "muoi mot" wins over "muoi" and "mot".
const viMonthAlt = `muoi mot|muoi hai|muoi|gieng|mot|hai|ba|bon|tu|nam|sau|bay|tam|chin|chap|1[0-2]|0?[1-9]`

// enMonthAlt are the month words of English, German, French and Spanish
// dates, folded; longest first.
const enMonthAlt = `january|february|march|april|may|june|july|august|september|october|november|december|` +
	`januar|februar|marz|maerz|mai|juni|juli|oktober|dezember|` +
	`janvier|fevrier|mars|avril|juin|juillet|aout|septembre|octobre|novembre|decembre|` +
	`enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre|` +
	`jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|okt|nov|dec|dez`

// New compiles a Parser; it is safe for concurrent use.
func New() *Parser {
	return &Parser{
		isoDate:   regexp.MustCompile(`\b(\d{4})-(\d{1,2})-(\d{1,2})(?:[t ](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*(z|[+-]\d{2}:?\d{2})?)?`),
		numDate:   regexp.MustCompile(`(?:^|[^\d/.\-])(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})(?:$|[^\d])`),
		dotDateYY: regexp.MustCompile(`(?:^|[^\d.])(\d{1,2})\.(\d{1,2})\.(\d{2})(?:$|[^\d.])`),
		wordDate:  regexp.MustCompile(`\b(\d{1,2})\s*(?:thang|thg)\s*(` + viMonthAlt + `)\b\s*(?:,|nam)?\s*,?\s*(\d{4})\b`),
		monthDay:  regexp.MustCompile(`\b(?:thang|thg)\s*(` + viMonthAlt + `)\s+(\d{1,2})\s*,\s*(\d{4})\b`),
		enDMY:     regexp.MustCompile(`\b(\d{1,2})(?:st|nd|rd|th|er|\.)?\s+(?:de\s+)?(` + enMonthAlt + `)\.?,?\s+(?:de\s+)?(\d{4})\b`),
		enMDY:     regexp.MustCompile(`\b(` + enMonthAlt + `)\.?\s+(\d{1,2})(?:st|nd|rd|th)?\s*,?\s+(\d{4})\b`),
		clock:     regexp.MustCompile(`(?:^|[^\d:])(\d{1,2})\s*(?::|h)\s*(\d{2})(?:\s*:\s*(\d{2}))?\s*'?\s*(am|pm|a\.m\.|p\.m\.|sa|ch)?(?:$|[^\p{L}\d:])`),
		zone:      regexp.MustCompile(`\b(?:gmt|utc)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?`),
		relAgo:    regexp.MustCompile(`\b(\d{1,3})\s*(giay|phut|gio|tieng|ngay|tuan|seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?)\s*(?:truoc|ago)\b`),
		relDay:    regexp.MustCompile(`\b(hom qua|hom nay|yesterday|today)\b`),
		unix:      regexp.MustCompile(`^1\d{9}$`), // 2001-09-09 .. 2033-05-18; phone numbers start with 0
		viMonths: map[string]int{
			"gieng": 1, "mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5, "sau": 6,
			"bay": 7, "tam": 8, "chin": 9, "muoi": 10, "muoi mot": 11, "muoi hai": 12, "chap": 12,
		},
		enMonths: map[string]int{
			"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
			"august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
			"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
			"sept": 9, "oct": 10, "nov": 11, "dec": 12,
			"januar": 1, "februar": 2, "marz": 3, "maerz": 3, "mai": 5, "juni": 6, "juli": 7,
			"oktober": 10, "dezember": 12, "okt": 10, "dez": 12,
			"janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "juin": 6, "juillet": 7, "aout": 8,
			"septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
			"enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
			"agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
		},
		relUnits: map[string]time.Duration{
			"giay": time.Second, "phut": time.Minute, "gio": time.Hour, "tieng": time.Hour,
			"ngay": 24 * time.Hour, "tuan": 7 * 24 * time.Hour,
			"second": time.Second, "sec": time.Second, "minute": time.Minute, "min": time.Minute,
			"hour": time.Hour, "hr": time.Hour, "day": 24 * time.Hour, "week": 7 * 24 * time.Hour,
		},
		isoLayout: []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04Z07:00", "2006-01-02 15:04:05Z07:00"},
	}
}

// defaultParser backs the package-level ParseTime; built on first use and
// never modified afterwards.
var defaultParser = sync.OnceValue(New)

// defaultLocation is Asia/Ho_Chi_Minh, or a fixed UTC+7 zone when the
// time zone database is unavailable. Loaded once.
// DefaultLocation is Asia/Ho_Chi_Minh, or UTC+7 where the zone database
// lacks it: the zone of timestamps printed without one, by default.
var DefaultLocation = sync.OnceValue(func() *time.Location {
	if l, err := time.LoadLocation("Asia/Ho_Chi_Minh"); err == nil {
		return l
	}
	return time.FixedZone("ICT", 7*3600)
})

// ParseTime parses a timestamp as printed on Vietnamese and English news
// pages: "01:39' PM - Thứ tư, 27/01/2021", "03:15 CH @ Thứ Hai - 08 Tháng
// Giêng, 2024", "ngày 8 tháng 1 năm 2015", "Tháng Mười Hai 29, 2013, 14:14",
// "January 2, 2006 3:04 PM", RFC 3339, 10-digit unix seconds (1xxxxxxxxx), and relative
// forms ("2 giờ trước", "Hôm qua 08:16") resolved against now (a zero now
// disables them). Text may carry prefixes ("Cập nhật:"), weekdays and a
// zone ("GMT+7"); without a zone the time is in loc (nil: UTC+7). A date
// without a time is midnight. It reports false for text holding no
// plausible date (year 1990-2100, real day, hour and minute).
func ParseTime(s string, loc *time.Location, now time.Time) (time.Time, bool) {
	return defaultParser().Parse(s, loc, now)
}

// Parse is ParseTime with p's patterns.
func (p *Parser) Parse(s string, loc *time.Location, now time.Time) (time.Time, bool) {
	if loc == nil {
		loc = DefaultLocation()
	}
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 512 {
		return time.Time{}, false
	}
	if len(s) == 10 && s[0] == '1' && p.unix.MatchString(s) {
		n, err := strconv.ParseInt(s, 10, 64)
		if err == nil {
			t := time.Unix(n, 0).In(loc)
			if plausibleYear(t.Year()) {
				return t, true
			}
		}
		return time.Time{}, false
	}
	// Every ISO layout starts with a four-character year and "-".
	for _, layout := range p.isoLayout {
		if len(s) < 5 || s[4] != '-' {
			break
		}
		if t, err := time.Parse(layout, s); err == nil {
			if plausibleYear(t.Year()) {
				return t, true
			}
			return time.Time{}, false
		}
	}
	f := Fold(s)

	// ISO-like dates inside text ("2025-10-22 19:25").
	// Each pattern runs only when f holds the text it cannot match without.
	if m := p.findIf(isoCandidate(f), p.isoDate, f); m != nil {
		y, mo, d := atoi(m[1]), atoi(m[2]), atoi(m[3])
		zl := loc
		if m[7] != "" {
			zl = parseOffset(m[7])
		} else if z := p.zoneOf(f); z != nil {
			zl = z
		}
		if m[4] != "" {
			sec := 0
			if m[6] != "" {
				sec = atoi(m[6])
			}
			return mkTime(y, mo, d, atoi(m[4]), atoi(m[5]), sec, zl)
		}
		h, mi, sec, ok := p.clockOf(f, m[0])
		if !ok {
			return time.Time{}, false
		}
		return mkTime(y, mo, d, h, mi, sec, zl)
	}

	y, mo, d, dateText, ok := p.dateOf(f)
	if !ok {
		return p.relative(f, loc, now)
	}
	zl := loc
	if z := p.zoneOf(f); z != nil {
		zl = z
	}
	h, mi, sec, ok := p.clockOf(f, dateText)
	if !ok {
		return time.Time{}, false
	}
	return mkTime(y, mo, d, h, mi, sec, zl)
}

// dateOf finds a calendar date in folded text. dateText is the matched
// part, removed before looking for the clock.
func (p *Parser) dateOf(f string) (y, mo, d int, dateText string, ok bool) {
	hasThang := strings.Contains(f, "thang") || strings.Contains(f, "thg")
	if m := p.findIf(hasThang, p.wordDate, f); m != nil {
		return atoi(m[3]), p.viMonth(m[2]), atoi(m[1]), m[0], true
	}
	if m := p.findIf(hasThang, p.monthDay, f); m != nil {
		return atoi(m[3]), p.viMonth(m[1]), atoi(m[2]), m[0], true
	}
	if m := p.findIf(strings.ContainsAny(f, "/.-"), p.numDate, f); m != nil {
		return atoi(m[3]), atoi(m[2]), atoi(m[1]), m[0], true
	}
	if m := p.findIf(strings.Contains(f, "."), p.dotDateYY, f); m != nil { // German "Do 25.04.24 | 14:07 Uhr"
		y := 2000 + atoi(m[3])
		if y > 2069 {
			y -= 100
		}
		return y, atoi(m[2]), atoi(m[1]), m[0], true
	}
	enMonth := hasEnMonth(f)
	if m := p.findIf(enMonth, p.enMDY, f); m != nil {
		return atoi(m[3]), p.enMonths[m[1]], atoi(m[2]), m[0], true
	}
	if m := p.findIf(enMonth, p.enDMY, f); m != nil {
		return atoi(m[3]), p.enMonths[m[2]], atoi(m[1]), m[0], true
	}
	return 0, 0, 0, "", false
}

// viMonth is the month of a viMonthAlt match: a number or a word. Words
// are not given to strconv.Atoi, whose error would allocate.
func (p *Parser) viMonth(w string) int {
	if w != "" && isDigit(w[0]) {
		if n, err := strconv.Atoi(w); err == nil {
			return n
		}
	}
	return p.viMonths[w]
}

// clockOf finds a time of day in f outside dateText. No clock is midnight;
// an impossible one reports false.
func (p *Parser) clockOf(f, dateText string) (h, mi, sec int, ok bool) {
	rest := strings.Replace(f, dateText, " ", 1)
	m := p.findIf(strings.ContainsAny(rest, ":h"), p.clock, rest)
	if m == nil {
		return 0, 0, 0, true
	}
	h, mi = atoi(m[1]), atoi(m[2])
	if m[3] != "" {
		sec = atoi(m[3])
	}
	switch m[4] {
	case "pm", "p.m.", "ch":
		if h < 12 {
			h += 12
		}
	case "am", "a.m.", "sa":
		if h == 12 {
			h = 0
		}
	}
	if h > 23 || mi > 59 || sec > 59 {
		return 0, 0, 0, false
	}
	return h, mi, sec, true
}

func (p *Parser) zoneOf(f string) *time.Location {
	m := p.findIf(strings.Contains(f, "gmt") || strings.Contains(f, "utc"), p.zone, f)
	if m == nil {
		return nil
	}
	h, mi := atoi(m[2]), 0
	if m[3] != "" {
		mi = atoi(m[3])
	}
	if h > 14 || mi > 59 {
		return nil
	}
	off := h*3600 + mi*60
	if m[1] == "-" {
		off = -off
	}
	return time.FixedZone("", off)
}

// relative resolves "2 giờ trước", "Hôm qua 08:16" and the like.
func (p *Parser) relative(f string, loc *time.Location, now time.Time) (time.Time, bool) {
	if now.IsZero() {
		return time.Time{}, false
	}
	now = now.In(loc)
	if m := p.findIf(strings.Contains(f, "truoc") || strings.Contains(f, "ago"), p.relAgo, f); m != nil {
		unit := strings.TrimSuffix(m[2], "s")
		if m[2] == "gio" || m[2] == "giay" {
			unit = m[2]
		}
		d, ok := p.relUnits[unit]
		if !ok {
			return time.Time{}, false
		}
		t := now.Add(-time.Duration(atoi(m[1])) * d)
		return t.Truncate(time.Minute), true
	}
	if m := p.findIf(strings.Contains(f, "hom ") || strings.Contains(f, "yesterday") || strings.Contains(f, "today"), p.relDay, f); m != nil {
		day := now
		if m[1] == "hom qua" || m[1] == "yesterday" {
			day = now.AddDate(0, 0, -1)
		}
		h, mi, sec, ok := p.clockOf(f, m[0])
		if !ok {
			return time.Time{}, false
		}
		return mkTime(day.Year(), int(day.Month()), day.Day(), h, mi, sec, loc)
	}
	return time.Time{}, false
}

// isoCandidate reports whether f holds four digits, "-" and a digit: the
// text isoDate cannot match without.
func isoCandidate(f string) bool {
	for i := strings.IndexByte(f, '-'); i >= 0; {
		if i >= 4 && i+1 < len(f) && isDigit(f[i+1]) &&
			isDigit(f[i-1]) && isDigit(f[i-2]) && isDigit(f[i-3]) && isDigit(f[i-4]) {
			return true
		}
		j := strings.IndexByte(f[i+1:], '-')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return false
}

// hasEnMonth reports whether f holds the first three letters of an English
// month: the text enMDY and enDMY cannot match without.
func hasEnMonth(f string) bool {
	for _, m := range [...]string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
		"mai", "okt", "dez", "fev", "avr", "jui", "aou", "ene", "abr", "ago", "set", "dic", "mae"} {
		if strings.Contains(f, m) {
			return true
		}
	}
	return false
}

// findIf is re.FindStringSubmatch(s) when may holds, else nil: callers
// pass a cheap test for text the pattern cannot match without.
func (p *Parser) findIf(may bool, re *regexp.Regexp, s string) []string {
	if !may {
		return nil
	}
	return re.FindStringSubmatch(s)
}

func mkTime(y, mo, d, h, mi, sec int, loc *time.Location) (time.Time, bool) {
	if !plausibleYear(y) || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(mo), d, h, mi, sec, 0, loc)
	if t.Day() != d || int(t.Month()) != mo {
		return time.Time{}, false // 31/02 and the like
	}
	return t, true
}

func plausibleYear(y int) bool { return y >= minYear && y <= maxYear }

func parseOffset(z string) *time.Location {
	if z == "z" {
		return time.UTC
	}
	sign := 1
	if z[0] == '-' {
		sign = -1
	}
	z = strings.ReplaceAll(z[1:], ":", "")
	if len(z) != 4 {
		return time.UTC
	}
	return time.FixedZone("", sign*(atoi(z[:2])*3600+atoi(z[2:])*60))
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// Fold lower-cases s and strips diacritics (NFD, drop combining marks,
// đ -> d), so that NFC, NFD and unaccented spellings compare equal: the
// form the patterns match ("Tháng Giêng" -> "thang gieng").
func Fold(s string) string {
	i := 0
	for i < len(s) && s[i] < utf8.RuneSelf && (s[i] < 'A' || s[i] > 'Z') {
		i++
	}
	if i == len(s) {
		return s // ASCII without capitals folds to itself
	}
	// Text of ASCII and the letters and punctuation in foldRunes folds
	// rune by rune (see foldTable); anything else takes the full path.
	tab := foldRunes()
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			b.WriteByte(c)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		f, ok := tab.fold(r)
		if !ok || n == 1 {
			return foldTextNFD(s)
		}
		b.WriteString(f)
		i += n
	}
	return b.String()
}

// foldTextNFD is Fold by its definition.
func foldTextNFD(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, " ")
	}
	d := norm.NFD.String(s)
	var b strings.Builder
	b.Grow(len(d))
	for _, r := range d {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'đ' || r == 'Đ':
			b.WriteByte('d')
		case r == '\u00a0' || r == '\u2007' || r == '\u202f':
			b.WriteByte(' ')
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// foldTable holds foldTextNFD of single runes of the Latin blocks
// Vietnamese uses and of general punctuation. It lists only runes that are
// starters (canonical combining class 0) decomposing to a starter first:
// NFD of a text of such runes is then the concatenation of their NFDs (no
// mark reordering across them), so the text folds rune by rune.
type foldTable struct {
	latin []foldEntry // U+0080..U+024F
	viet  []foldEntry // U+1E00..U+1EFF
	punct []foldEntry // U+2000..U+206F
}

type foldEntry struct {
	s  string
	ok bool
}

const (
	foldLatinEnd = 0x250
	foldViet     = 0x1e00
	foldPunct    = 0x2000
	foldPunctEnd = 0x2070
)

// foldRunes builds the fold table on first use; it is never modified
// afterwards.
var foldRunes = sync.OnceValue(func() *foldTable {
	entries := func(lo, hi rune) []foldEntry {
		es := make([]foldEntry, hi-lo)
		for r := lo; r < hi; r++ {
			d := norm.NFD.String(string(r))
			first, _ := utf8.DecodeRuneInString(d)
			if norm.NFD.PropertiesString(string(r)).CCC() != 0 || norm.NFD.PropertiesString(string(first)).CCC() != 0 {
				continue
			}
			es[r-lo] = foldEntry{foldTextNFD(string(r)), true}
		}
		return es
	}
	return &foldTable{
		latin: entries(utf8.RuneSelf, foldLatinEnd),
		viet:  entries(foldViet, foldViet+0x100),
		punct: entries(foldPunct, foldPunctEnd),
	}
})

// fold returns the folded form of the non-ASCII rune r, or false when r
// is not in the table.
func (t *foldTable) fold(r rune) (string, bool) {
	var e foldEntry
	switch {
	case r < foldLatinEnd:
		e = t.latin[r-utf8.RuneSelf]
	case r >= foldViet && r < foldViet+0x100:
		e = t.viet[r-foldViet]
	case r >= foldPunct && r < foldPunctEnd:
		e = t.punct[r-foldPunct]
	}
	return e.s, e.ok
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
