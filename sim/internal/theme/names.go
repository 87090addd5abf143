package theme

import (
	"math/rand/v2"
	"strings"
)

// roleWords are plausible English class names per region (the "plain"
// vocabulary; bem and module build on their first words).
var roleWords = map[string][]string{
	"box":      {"article-detail", "news-detail", "post-detail", "entry", "detail-box", "story"},
	"headline": {"title", "news-title", "post-title", "entry-title", "headline", "detail-title"},
	"date":     {"date", "time", "post-date", "publish-date", "news-time", "datetime"},
	"byline":   {"author", "byline", "writer", "post-author", "author-name"},
	"body":     {"content", "body", "entry-content", "post-content", "detail-content", "article-body"},
	"lead":     {"sapo", "lead", "summary", "excerpt", "intro", "description"},
	"sponsor":  {"sponsor", "ads-links", "partner-links", "sponsored"},
	"related":  {"related", "related-news", "other-news", "more-news", "same-category"},
	"tags":     {"tags", "keywords", "tag-list", "post-tags"},
	"crumb":    {"breadcrumb", "breadcrumbs", "crumbs", "path"},
	"kicker":   {"category", "cat-label", "kicker", "section-name", "cate"},
	"meta":     {"meta", "info", "post-meta", "article-info", "detail-meta"},
	"caption":  {"caption", "img-caption", "photo-note", "figcap"},
	"header":   {"header", "site-header", "top", "masthead"},
	"footer":   {"footer", "site-footer", "bottom", "copyright-box"},
	"nav":      {"nav", "menu", "main-menu", "navbar"},
	"side":     {"sidebar", "aside", "col-right", "widget-area"},
	"main":     {"main", "site-main", "page-content", "layout"},
	"list":     {"news-list", "list-news", "posts", "items"},
	"item":     {"item", "news-item", "post-item", "card"},
	"pager":    {"pagination", "pager", "paging", "page-nav"},
	"logo":     {"logo", "brand", "site-logo"},
	"topdate":  {"today", "current-date", "top-date"},
	"para":     {"text", "paragraph", "body-text"},
	"wrap":     {"container", "wrapper", "inner", "row", "col-main", "clearfix", "box", "main-content", "block", "col-md-8"},
}

// viWords are unaccented Vietnamese class names ("vietnamese" vocabulary).
var viWords = map[string][]string{
	"box": {"chi-tiet-tin", "bai-viet", "khung-tin"}, "headline": {"tieu-de", "tieu-de-tin", "ten-bai"},
	"date": {"ngay-dang", "thoi-gian", "ngay-gio"}, "byline": {"tac-gia", "nguoi-viet", "but-danh"},
	"body": {"noi-dung", "noi-dung-tin", "than-bai"}, "lead": {"tom-tat", "sapo", "mo-dau"},
	"sponsor": {"lien-ket-tai-tro", "tai-tro"}, "related": {"tin-lien-quan", "tin-khac", "tin-cung-muc"},
	"tags": {"tu-khoa", "the-tag"}, "crumb": {"duong-dan", "dieu-huong"}, "kicker": {"chuyen-muc", "danh-muc"},
	"meta": {"thong-tin", "thong-tin-bai"}, "caption": {"chu-thich", "chu-thich-anh"}, "header": {"dau-trang"},
	"footer": {"chan-trang"}, "nav": {"thanh-menu", "danh-muc-chinh"}, "side": {"cot-phai", "cot-ben"},
	"main": {"khung-chinh", "noi-dung-chinh"}, "list": {"danh-sach-tin"}, "item": {"muc-tin", "tin"},
	"pager": {"phan-trang"}, "logo": {"bieu-trung"}, "topdate": {"ngay-hom-nay"}, "para": {"doan"},
	"wrap": {"khung", "vung", "khoi", "hop"},
}

// utilityChains are Tailwind-like utility class lists: no region name.
var utilityChains = []string{
	"text-2xl font-bold leading-tight", "text-sm text-gray-500", "mt-4 mb-2", "prose max-w-none",
	"flex items-center gap-2", "px-4 py-2", "text-base leading-7", "grid grid-cols-12 gap-6",
	"col-span-8", "border-t pt-4", "text-xs uppercase tracking-wide", "space-y-4", "mx-auto max-w-5xl",
	"font-semibold text-lg", "italic text-gray-600", "hidden md:block", "rounded bg-gray-100 p-3",
}

const hashChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// vocab makes class names in one style, never the same name twice.
type vocab struct {
	r     *rand.Rand
	style string
	block string // bem block / module component
	used  map[string]bool
}

func newVocab(r *rand.Rand, style string) *vocab {
	v := &vocab{r: r, style: style, used: map[string]bool{}}
	switch style {
	case "bem":
		v.block = pick(r, []string{"article", "story", "news", "post", "detail", "c-article"})
	case "module":
		v.block = pick(r, []string{"Article", "Detail", "Story", "NewsDetail", "Post"})
	}
	return v
}

func pick(r *rand.Rand, l []string) string { return l[r.IntN(len(l))] }

func (v *vocab) hash(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = hashChars[v.r.IntN(len(hashChars))]
	}
	return string(b)
}

// name returns a fresh class name for a region.
func (v *vocab) name(role string) string {
	for try := 0; ; try++ {
		s := v.raw(role)
		if try > 0 {
			s += "-" + v.hash(2)
		}
		if !v.used[s] {
			v.used[s] = true
			return s
		}
	}
}

func (v *vocab) raw(role string) string {
	word := pick(v.r, roleWords[role])
	switch v.style {
	case "bem":
		s := v.block + "__" + strings.ReplaceAll(word, "-", "")
		if v.r.IntN(3) == 0 {
			s += " " + s + "--" + pick(v.r, []string{"large", "main", "v2", "primary"})
		}
		return s
	case "module":
		return v.block + "_" + camel(word) + "__" + v.hash(5)
	case "vietnamese":
		return pick(v.r, viWords[role])
	case "hashed":
		return "css-" + strings.ToLower(v.hash(7))
	case "utility":
		return pick(v.r, utilityChains)
	}
	return word
}

func camel(s string) string {
	parts := strings.Split(s, "-")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}

func (v *vocab) names() Names {
	return Names{
		Box: v.name("box"), Headline: v.name("headline"), Date: v.name("date"), Byline: v.name("byline"),
		Body: v.name("body"), Lead: v.name("lead"), Sponsor: v.name("sponsor"), Related: v.name("related"),
		Tags: v.name("tags"), Crumb: v.name("crumb"), Kicker: v.name("kicker"), Meta: v.name("meta"),
		Caption: v.name("caption"), Header: v.name("header"), Footer: v.name("footer"), Nav: v.name("nav"),
		Side: v.name("side"), Main: v.name("main"), List: v.name("list"), Item: v.name("item"),
		Pager: v.name("pager"), Logo: v.name("logo"), TopDate: v.name("topdate"), Para: v.name("para"),
	}
}
