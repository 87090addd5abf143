// Package byname reads the names in a byline's text: what is printed
// around them (a label such as "By" or "Von:", the date and time after
// them, a social-media handle) is dropped, and what names no one (photo
// credits, copyright lines, a bare date, a button's word) is refused. It
// works on text alone; which element or metadata a byline comes from is
// package extract's business.
package byname

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

var (
	// label is a label printed before the names, in the page's
	// language: "By", "Von:", "Par", "Por", "Door", "Av", "Tác giả:",
	// "Geschrieben von", "Posted by", "Autor:", "Interview:". A short
	// lowercase particle ("de", "di") is a label only in lower case:
	// capitalised it starts a name ("De Luca").
	label = regexp.MustCompile(`^(?:(?i:(?:written|posted|reported|words|text|story|geschrieben|verfasst|erstellt|ein beitrag|ein artikel)\s+(?:by|von|vom))|(?i:by|von|vom|par|por|door|av|af|from)|de|di|da|(?i:(?:autor|autorin|autoren|auteur|author|authors|text|texto|testo|interview|redaktion|reporter|tác giả|verfasser|verfasserin)\s*[:：]))(?:\s*[:：])?\s+`)
	// inner finds a label inside a line that starts with something
	// else ("Posted on 21 September 2020 by Adi Tzlil", "News By Lance
	// Ulanoff"): the names follow it.
	inner = regexp.MustCompile(`(?:^|\s)(?:by|By|BY|geschrieben von|Geschrieben von|verfasst von)\s+`)
	// notName is a line that names no author: a photo credit, a
	// copyright line.
	notName = regexp.MustCompile(`^\(?\s*(?i:ảnh|photo|photos|photograph|foto|fotos|bild|bilder|image|images|picture|pictures|credit|credits|quelle|getty images|copyright)\b|©|\((?i:c)\)\s*\d{4}|(?i:all rights reserved|alle rechte vorbehalten|tous droits réservés|todos los derechos)`)
	// date is where a date or time starts after the names: "12:20pm",
	// "26.10.13", "2024", "7 Jan", "Jan 7", "19 May 2026".
	date = regexp.MustCompile(`(?i)\b\d{1,2}[:.h]\d{2}|\b\d{1,4}[./-]\d{1,2}[./-]\d{2,4}\b|\b(?:19|20)\d{2}\b|\b\d{1,2}\.?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|januar|februar|märz|mai|juni|juli|okt|dez|janvier|février|mars|avril|juin|juillet|août|septembre|octobre|novembre|décembre|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre)|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b`)
	// trail are the words left between the names and a date cut
	// off after them ("published", "am", "on", "|").
	trail = regexp.MustCompile(`(?i)(?:\s+|^)(?:published|updated|posted|veröffentlicht|aktualisiert|publié|publicado|am|um|on|at|le|el|der|den|vom|,|\||-|–|—|•|·)\s*$`)
	// endWord is a word that ends no name: what linked the names to
	// a date printed in an element of its own (<time>).
	endWord = regexp.MustCompile(`(?i)\s+(?:published|updated|posted|veröffentlicht|aktualisiert|publié|publicado)$`)
	// button is a button's or link's word taken for a name.
	button = regexp.MustCompile(`^(?i:twitter|follow|folgen|facebook|instagram|linkedin|e-mail|email|mail|share|teilen|more|mehr|profile|profil)$`)
	// handle is a social-media handle or link word after a name.
	handle = regexp.MustCompile(`\s*@\w+|\s+(?i:twitter|follow|folgen|facebook|instagram|linkedin|e-mail|email|mail)$`)
)

// Names returns the names of byline text t (white space collapsed) as
// printed, without a label before them or a date after them, and false
// when t names no one.
func Names(t string) (string, bool) {
	if t == "" || notName.MatchString(t) || IsLabel(strings.TrimSpace(t)) { // a label alone names no one
		return "", false
	}
	t = dropLabel(t)
	t = cutDate(t)
	for {
		s := strings.TrimSpace(handle.ReplaceAllString(t, ""))
		if s == t {
			break
		}
		t = s
	}
	t = strings.TrimSpace(endWord.ReplaceAllString(t, ""))
	t = strings.Trim(t, " ,;:|-–—•·")
	if t == "" || strings.IndexFunc(t, unicode.IsLetter) < 0 || button.MatchString(t) || IsPlaceholder(t) {
		return "", false
	}
	return t, true
}

// IsPlaceholder reports whether s is what a template prints for a value
// it does not have (meta[name=author] content="null").
func IsPlaceholder(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "null", "nil", "none", "undefined", "n/a", "unknown", "[object object]":
		return true
	}
	return false
}

// dropLabel removes the label before the names, at the start of t or
// after a short run of words before it (a kicker, a date).
func dropLabel(t string) string {
	if loc := label.FindStringIndex(t); loc != nil && loc[1] < len(t) {
		return t[loc[1]:]
	}
	if loc := inner.FindStringIndex(t); loc != nil && loc[1] < len(t) && !moreWords(t[:loc[0]], 8) {
		if r := []rune(t[loc[1]:]); unicode.IsUpper(r[0]) {
			return t[loc[1]:]
		}
	}
	return t
}

// cutDate removes a date or time printed after the names, and the
// words linking them ("published", "am").
func cutDate(t string) string {
	loc := date.FindStringIndex(t)
	if loc == nil || loc[0] == 0 {
		return t
	}
	head := strings.TrimSpace(t[:loc[0]])
	for {
		s := strings.TrimSpace(trail.ReplaceAllString(head, ""))
		if s == head {
			break
		}
		head = s
	}
	if head == "" {
		return t
	}
	return head
}

// LastFirst turns one name written "Last, First" (catalogue order, as
// metadata may give it: "Doe, John", "Doe, John A.") into "First Last".
// Anything else, several names among them ("Ann Lee, Bo Chen"), is kept.
func LastFirst(b string) string {
	last, first, ok := strings.Cut(b, ", ")
	if !ok || strings.Contains(first, ",") || len(strings.Fields(last)) != 1 || len(strings.Fields(first)) > 2 || !capitalised(first) || !capitalised(last) {
		return b
	}
	if f := strings.Fields(first); len(f) == 2 && !strings.HasSuffix(f[1], ".") {
		return b // "Lee, Bo Chen" reads as two authors
	}
	return first + " " + last
}

// labelOnly is a byline label printed as a text of its own, the name in
// the element after it: <b>Von:</b> Götz Warnke, <h4>Autor</h4><p>…</p>,
// <span class="sr-only">| By </span><span>Cara Stiles</span>.
var labelOnly = regexp.MustCompile(`^(?i:by|von|vom|autor|autorin|autoren|auteur|auteur\(s\)|auteurs|author|authors|par|por|door|av|verfasser|verfasserin|verfasst von|geschrieben von|written by|posted by|tác giả)\s*[:：]?$`)

// IsLabel reports whether s is a byline label alone ("Von:", "Autor").
func IsLabel(s string) bool { return labelOnly.MatchString(s) }

// authorLabel is a twitter:labelN that says twitter:dataN is the author
// (SEO plugins write "Written by", "Verfasst von").
var authorLabel = regexp.MustCompile(`^(?i:written by|author|verfasst von|geschrieben von|autor|autorin|écrit par|auteur|escrito por|scritto da|geschreven door|skrevet av)$`)

// IsAuthorLabel reports whether a twitter:label's text says its data is
// the author.
func IsAuthorLabel(s string) bool { return authorLabel.MatchString(strings.TrimSpace(s)) }

var authorWord = regexp.MustCompile(`(?i)(?:^|[\s(])(?:author|authors|autor|autorin|autoren|auteur|auteurs|autore|autori|författare|forfatter|tác giả)(?:$|[\s.,:)])`)

// MentionsAuthor reports whether s speaks of the author rather than naming
// one: the links and labels of an author box ("Mehr über den Autor
// erfahren", "More from this author", "About the authors").
func MentionsAuthor(s string) bool { return authorWord.MatchString(s) }

// NotName reports whether s names no one: a photo credit, a copyright line.
func NotName(s string) bool { return notName.MatchString(s) }

// moreWords reports whether s has more than n words.
func moreWords(s string, n int) bool { return len(strings.Fields(s)) > n }

// capitalised reports whether every word of s starts with a capital or a
// non-letter.
func capitalised(s string) bool {
	for _, w := range strings.Fields(s) {
		if r, _ := utf8.DecodeRuneInString(w); unicode.IsLetter(r) && !unicode.IsUpper(r) {
			return false
		}
	}
	return true
}
