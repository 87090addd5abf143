package theme

import "strings"

// AxisID names one axis of the table; Theme.Values is indexed by it.
type AxisID int

// The axes, in table order. docs/SIMULATOR.md lists the same table.
const (
	HeadlineTag   AxisID = iota // the headline element
	HeadlineClass               // a title-like class on it, or none
	Vocabulary                  // how class names are made
	BoxTag                      // the article box element
	BoxDepth                    // wrappers between <main> and the box
	BodyDepth                   // wrappers between the box and the body element
	DateFormat                  // the visible date line (PORTAL.md's table)
	DatePosition                // where the date line sits
	DateLabel                   // a prefix before the date
	TimeElement                 // the date line wrapped in <time datetime>
	Byline                      // where the byline sits
	BylineCase                  // how a name is printed
	MetaJoin                    // a meta line as separate spans or one text
	Sponsor                     // the VIEPortal sponsor block
	SponsorHead                 // its heading
	Related                     // the related-news list
	RelatedHead                 // its heading
	Category                    // breadcrumb / category label before the headline
	Standfirst                  // the lead
	TitleSite                   // the site's name in <title>
	TitleSep                    // its separator
	SiteName                    // the site's name
	OpenGraph                   // og: tags
	JSONLD                      // a NewsArticle JSON-LD block
	MetaPublished               // meta[property=article:published_time]
	MetaAuthor                  // meta[name=author]
	Tags                        // the tags block
	Picture                     // picture and caption markup
	Paragraph                   // body paragraph markup
	URLs                        // URL shapes
	// TemplateLine is a line of the portal's own that every article
	// prints inside its text (drawn from a stream of its own, so that the
	// themes drawn before it was added are unchanged but for it).
	TemplateLine
	numAxes
)

// Axis is one dimension along which generated themes differ: its name
// and every value it takes. A theme draws each axis uniformly, then
// applies the constraints documented on Generate.
type Axis struct {
	ID     AxisID
	Name   string
	Values []string
}

// axes is the fixed table of ranges. It was written before extraction was
// tuned against generated themes: widen it, never narrow it because a seed
// fails (a failing seed is an extraction bug). Read-only; Axes copies it.
var axes = [numAxes]Axis{
	{HeadlineTag, "headline_tag", []string{"h1", "h2", "h3", "span", "div", "strong", "p"}},
	{HeadlineClass, "headline_class", []string{"none", "title"}},
	{Vocabulary, "vocabulary", []string{"plain", "bem", "module", "vietnamese", "hashed", "utility"}},
	{BoxTag, "box_tag", []string{"div", "article", "section"}},
	{BoxDepth, "box_depth", []string{"0", "1", "2", "3", "4"}},
	{BodyDepth, "body_depth", []string{"0", "1", "2"}},
	{DateFormat, "date_format", dateFormatNames()},
	{DatePosition, "date_position", []string{"above", "below", "meta", "end"}},
	{DateLabel, "date_label", []string{"none", "Ngày đăng: ", "Cập nhật: ", "Thời gian: "}},
	{TimeElement, "time_element", []string{"absent", "present"}},
	{Byline, "byline", []string{"top_label", "end_upper", "end_element", "meta", "absent"}},
	{BylineCase, "byline_case", []string{"upper", "title"}},
	{MetaJoin, "meta_join", []string{"spans", "text"}},
	{Sponsor, "sponsor", []string{"none", "in_body", "after_box"}},
	{SponsorHead, "sponsor_head", []string{
		"Sponsor links (Provided by VIEPortal.net - The web cloud services for enterprises)",
		"Sponsor links (Provided by VIEPortal.net)",
		"Sponsor links (Provided by VIEPortal.net - Thiết kế website chuyên nghiệp)",
	}},
	{Related, "related", []string{"none", "dated_dmy", "dated_theme", "undated"}},
	{RelatedHead, "related_head", []string{"Tin liên quan", "Các tin khác", "Tin cùng chuyên mục", "Bài viết khác"}},
	{Category, "category", []string{"none", "breadcrumb", "label", "both"}},
	{Standfirst, "standfirst", []string{"none", "classed", "bold_paragraph"}},
	{TitleSite, "title_site", []string{"suffix", "prefix", "none"}},
	{TitleSep, "title_sep", []string{" - ", " | ", " :: ", " – "}},
	{SiteName, "site_name", []string{"Tập đoàn Hóa chất Việt Nam", "Vinachem", "VINACHEM", "Cổng thông tin điện tử Vinachem", "Báo Hóa chất"}},
	{OpenGraph, "open_graph", []string{"absent", "present"}},
	{JSONLD, "json_ld", []string{"absent", "person", "organization"}},
	{MetaPublished, "meta_published", []string{"absent", "offset", "zoneless"}},
	{MetaAuthor, "meta_author", []string{"absent", "site", "byline"}},
	{Tags, "tags", []string{"none", "Từ khóa: ", "Tags: "}},
	{Picture, "picture", []string{"figure", "table", "div"}},
	{Paragraph, "paragraph", []string{"plain", "justify", "classed"}},
	{URLs, "urls", []string{"vieportal", "vieapps", "era"}},
	{TemplateLine, "template_line", []string{"none", "promo_end", "promo_start"}},
}

// Axes returns a copy of the table of axes and their ranges.
func Axes() []Axis {
	out := make([]Axis, len(axes))
	for i, a := range axes {
		a.Values = append([]string(nil), a.Values...)
		out[i] = a
	}
	return out
}

// NumAxes is the number of axes.
const NumAxes = int(numAxes)

// String returns the axis's name.
func (a AxisID) String() string {
	if a < 0 || a >= numAxes {
		return "axis?"
	}
	return axes[a].Name
}

// MarkdownTable renders the table of axes as docs/SIMULATOR.md prints it
// (a test keeps the two equal).
func MarkdownTable() string {
	var b strings.Builder
	b.WriteString("| axis | values |\n| --- | --- |\n")
	for _, a := range axes {
		b.WriteString("| `" + a.Name + "` |")
		for i, v := range a.Values {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString(" `" + strings.ReplaceAll(v, "|", `\|`) + "`")
		}
		b.WriteString(" |\n")
	}
	return b.String()
}

// FormatsTable renders the date formats with their examples, as
// docs/SIMULATOR.md prints them.
func FormatsTable() string {
	var b strings.Builder
	b.WriteString("| date_format | example | time of day |\n| --- | --- | --- |\n")
	for _, f := range formats {
		tod := "yes"
		if f.DateOnly {
			tod = "no: `<time datetime>` carries it"
		}
		b.WriteString("| `" + f.Name + "` | `" + strings.ReplaceAll(f.Example, "|", `\|`) + "` | " + tod + " |\n")
	}
	return b.String()
}
