package sim

import (
	_ "embed"
	"fmt"
	"hash/maphash"
	"io"
	"log/slog"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/parc-archiver/parc/sim/internal/theme"
)

// Layout selects the page templates (and, for new articles, URL shapes).
type Layout uint8

// Layouts of the simulated site.
const (
	// LayoutMixed: articles published before 2022 live on the VIEPortal
	// (ASP.NET) site, newer ones on VIEApps NGX, like the real migration.
	LayoutMixed Layout = iota
	// LayoutVIEPortal: the whole site is VIEPortal.
	LayoutVIEPortal
	// LayoutVIEApps: the whole site is VIEApps NGX (the seed article stays
	// a VIEPortal-era page).
	LayoutVIEApps
	// LayoutRedesign is a site theme unknown to Config's profile: every
	// vendor class and id is gone. Use it with SetLayout to simulate a
	// redesign that breaks the selectors (profile drift).
	LayoutRedesign
	// LayoutGenerated is a site theme derived from Options.Seed along the
	// fixed axes of sim/internal/theme (docs/SIMULATOR.md): headline
	// element, class names, nesting, date format and position, byline,
	// sponsor, related, category, lead, <title>, metadata, tags. Config
	// emits no selectors for it: it is for generic extraction.
	LayoutGenerated
)

// String returns the layout's name.
func (l Layout) String() string {
	switch l {
	case LayoutMixed:
		return "mixed"
	case LayoutVIEPortal:
		return "vieportal"
	case LayoutVIEApps:
		return "vieapps"
	case LayoutRedesign:
		return "redesign"
	case LayoutGenerated:
		return "generated"
	}
	return "layout(" + strconv.Itoa(int(l)) + ")"
}

// Options configures a Portal. The zero value is a 200-article mixed site.
type Options struct {
	Articles int    // number of articles, the seed article included (default 200, minimum 1)
	Seed     int64  // generation seed
	Layout   Layout // LayoutMixed (default), LayoutVIEPortal, LayoutVIEApps or LayoutGenerated
	PageSize int    // articles per listing page (default 20)
	// Faults turns on faults mode: a flaky, unreliable portal (see the
	// package documentation).
	Faults bool
	// Hostile turns on hostile mode: pages that attack a crawler's limits
	// (gzip bombs, an endless Retry-After, a page of HostileLinks links, a
	// link over 8 KB), linked from the home page (see the package
	// documentation).
	Hostile bool
	// Now is the clock for Last-Modified, the header's date line, Publish
	// and Edit; nil means the fixed reference time (Friday 19 April 2024,
	// 09:30 in Vietnam).
	Now func() time.Time
	// Logger receives debug lines about faults served; nil discards.
	Logger *slog.Logger

	// SlowDelay is how long the slow fault page stalls on its first
	// request (default 2s). Config sets crawl.timeout to half of it.
	SlowDelay time.Duration
	// CrawlDelay is robots.txt's Crawl-delay in faults mode, written in
	// seconds (fractions allowed); 0 means 1s, negative omits the line.
	CrawlDelay time.Duration
	// RetryAfter is the Retry-After the 429 faults announce, in whole
	// seconds (default 1).
	RetryAfter int
	// OffsiteURL is where the off-site redirect fault points (default
	// "http://offsite.invalid/landing").
	OffsiteURL string
	// HugeBytes is the size of the huge fault page (default 11 MiB).
	HugeBytes int64
	// HostileLinks is the number of links on hostile mode's links page
	// (default 100 000; ?n=N overrides it per request).
	HostileLinks int
	// BombBytes is the decoded size of each of hostile mode's gzip bombs
	// (default 1 GiB, about 1 MB on the wire; rounded up to whole MiB).
	BombBytes int64
}

// Article is the ground truth for one article: what a correct archiver
// stores from it.
type Article struct {
	Key string // stable identifier ("seed" for the reference article)
	// URL is the canonical path (join it with the portal's base URL).
	URL string
	// Paths lists every path serving this article's content: the
	// canonical one first, then category cross-posts, then the print view
	// ("?print=1"). Letter-case and tracking-parameter variants are not
	// listed.
	Paths     []string
	Title     string    // whitespace collapsed
	Published time.Time // Asia/Ho_Chi_Minh, minute precision
	Modified  time.Time // last edit (Last-Modified), second precision
	Byline    string    // as printed, e.g. "HỒNG LIÊN", "Theo TTXVN"
	Category  string    // Vietnamese category name, e.g. "Tin tập đoàn"
	// Body is the plain text: paragraphs joined by "\n\n", NFC, without
	// lead, byline, captions, sponsor or navigation text.
	Body string
	// Lead is the summary (VIEApps span.summary); empty on VIEPortal pages.
	Lead string
	// Tags are the VIEApps tags; nil on VIEPortal pages.
	Tags     []string
	Layout   Layout // templates the page is currently rendered with
	Revision int    // 1 for the original, +1 per Edit
	Gone     bool   // removed: answers 404 (Truth never lists these)
}

// SeedKey is the Key of the reference article (sim/seed.txt).
const SeedKey = "seed"

//go:embed seed.txt
var seedText string

// category is one section of the site.
type category struct {
	name   string // Vietnamese display name
	portal string // VIEPortal path segment
	apps   string // VIEApps path segment
}

var categories = []category{
	{"Tin tập đoàn", "Tin-tap-doan", "tin-tap-doan"},
	{"Tin thị trường sản phẩm", "Tin-thi-truong-san-pham", "tin-thi-truong-san-pham"},
	{"Hoạt động đơn vị thành viên", "Hoat-dong-don-vi-thanh-vien", "hoat-dong-don-vi-thanh-vien"},
	{"Đảng - Đoàn thể", "Dang-Doan-the", "dang-doan-the"},
	{"Khoa học công nghệ", "Khoa-hoc-cong-nghe", "khoa-hoc-cong-nghe"},
	{"An toàn - Môi trường", "An-toan-Moi-truong", "an-toan-moi-truong"},
	{"Phân bón", "Phan-bon", "phan-bon"},
	{"Cao su", "Cao-su", "cao-su"},
}

const noCat = 0xff

// shapes of URLs: index into Portal.lists.
const (
	shapePortal = 0
	shapeApps   = 1
)

// entry is the per-article state (~50 bytes plus the cached slug); text is derived from
// (seed, gen, rev).
type entry struct {
	pub, mod int64 // unix seconds
	gen      int32 // generation index; 0 is the seed article
	rev      uint16
	cat      uint8
	cat2     uint8  // cross-post category or noCat
	shape    uint8  // shapePortal or shapeApps
	dup      uint8  // slug disambiguation suffix (0: none)
	slugc    string // URL slug, cached (about 80 bytes)
	gone     bool
	fault    faultKind
}

// Portal is the simulated portal. It is an http.Handler, safe for
// concurrent use.
type Portal struct {
	opts   Options
	log    *slog.Logger
	now    func() time.Time
	seed   seedDoc
	hseed  maphash.Seed
	theme  theme.Theme // the generated layout's theme, from Options.Seed
	faults *faultState
	bomb   []byte // one gzip member of zeros (hostile mode)

	mu       sync.RWMutex
	entries  []entry          // publication order
	genPos   []int32          // gen -> index in entries
	slugs    map[uint64]int32 // hash(shape, lower-case slug) -> index in entries
	lists    [2][][]int32     // [shape][category] -> entries, publication order
	override Layout           // template override set by SetLayout (LayoutMixed: none)
	layoutAt int64            // unix time of the last SetLayout
	stats    counters
}

// refTime is the default clock: Friday 19 April 2024, 09:30 ICT.
var refTime = time.Date(2024, 4, 19, 9, 30, 0, 0, vnZone)

var (
	eraStart  = time.Date(2014, 1, 6, 8, 0, 0, 0, vnZone)
	eraSwitch = time.Date(2022, 1, 1, 0, 0, 0, 0, vnZone) // VIEApps from here in LayoutMixed
)

// seedDoc is the parsed seed article.
type seedDoc struct {
	title     string
	published time.Time
	paras     []string
	byline    string
	sponsorHd string
	sponsor   []string
}

func parseSeed(s string) seedDoc {
	blocks := strings.Split(strings.Trim(strings.ReplaceAll(s, "\r\n", "\n"), "\n"), "\n\n")
	// title, time line, paragraphs..., byline, sponsor block
	d := seedDoc{
		title:     blocks[0],
		published: time.Date(2021, 1, 27, 13, 39, 0, 0, vnZone),
		paras:     blocks[2 : len(blocks)-2],
		byline:    blocks[len(blocks)-2],
	}
	hd, links, _ := strings.Cut(blocks[len(blocks)-1], "\n")
	d.sponsorHd = hd
	for _, l := range strings.Split(links, ",") {
		if l = strings.TrimSpace(l); l != "" {
			d.sponsor = append(d.sponsor, l)
		}
	}
	return d
}

// New builds a portal. Generation is deterministic from (Seed, Articles,
// Layout); it costs ~2.5 µs and ~170 bytes of state per article.
func New(opts Options) *Portal {
	opts = opts.withDefaults()
	p := &Portal{
		opts:  opts,
		log:   opts.Logger,
		now:   opts.Now,
		seed:  parseSeed(seedText),
		hseed: maphash.MakeSeed(),
		theme: theme.Generate(opts.Seed),
		slugs: make(map[uint64]int32, opts.Articles+opts.Articles/8),
	}
	if p.log == nil {
		p.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	p.log = p.log.With("component", "sim")
	if p.now == nil {
		p.now = func() time.Time { return refTime }
	}
	for s := range p.lists {
		p.lists[s] = make([][]int32, len(categories))
	}
	p.generate()
	p.faults = newFaultState(p)
	if opts.Hostile {
		p.bomb = newBombMember()
	}
	return p
}

// withDefaults returns o with unset or out-of-range fields replaced by
// their defaults.
func (o Options) withDefaults() Options {
	if o.Articles <= 0 {
		o.Articles = 200
	}
	if o.PageSize <= 0 {
		o.PageSize = 20
	}
	if o.SlowDelay <= 0 {
		o.SlowDelay = 2 * time.Second
	}
	if o.CrawlDelay == 0 {
		o.CrawlDelay = time.Second
	}
	if o.RetryAfter <= 0 {
		o.RetryAfter = 1
	}
	if o.OffsiteURL == "" {
		o.OffsiteURL = "http://offsite.invalid/landing"
	}
	if o.HugeBytes <= 0 {
		o.HugeBytes = 11 << 20
	}
	if o.HostileLinks <= 0 {
		o.HostileLinks = 100_000
	}
	if o.BombBytes <= 0 {
		o.BombBytes = 1 << 30
	}
	if o.Layout == LayoutRedesign || o.Layout > LayoutGenerated {
		o.Layout = LayoutMixed // LayoutRedesign is for SetLayout only
	}
	return o
}

// rng returns the deterministic generator of one part of one article.
func (p *Portal) rng(gen int32, part uint64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(p.opts.Seed), uint64(gen)<<20|part))
}

// RNG parts.
const (
	partMeta  = 1 // category, byline, cross-post, image
	partTitle = 2
	partBody  = 3
	partLead  = 4
	partEdit  = 100 // +revision
)

func (p *Portal) shapeFor(t time.Time) uint8 {
	switch p.opts.Layout {
	case LayoutVIEPortal:
		return shapePortal
	case LayoutVIEApps:
		return shapeApps
	case LayoutGenerated:
		switch p.theme.V(theme.URLs) {
		case "vieportal":
			return shapePortal
		case "vieapps":
			return shapeApps
		}
	}
	if t.Before(eraSwitch) {
		return shapePortal
	}
	return shapeApps
}

func (p *Portal) generate() {
	n := p.opts.Articles - 1 // generated articles besides the seed
	span := refTime.Add(-2*time.Hour).Sub(eraStart) / time.Minute
	slot := int64(span) / int64(max(n, 1))
	p.entries = make([]entry, 0, p.opts.Articles)
	p.genPos = make([]int32, p.opts.Articles)
	seedPub := p.seed.published.Unix()
	seedDone := false
	addSeed := func() {
		p.genPos[0] = int32(len(p.entries))
		p.entries = append(p.entries, entry{pub: seedPub, mod: seedPub, gen: 0, cat: 0, cat2: noCat, shape: shapePortal})
		seedDone = true
	}
	for i := 1; i <= n; i++ {
		gen := int32(i)
		r := p.rng(gen, partMeta)
		off := int64(i-1)*slot + r.Int64N(max(slot, 1))
		pub := eraStart.Unix() + off*60
		if pub == seedPub {
			pub += 60
		}
		if !seedDone && pub > seedPub {
			addSeed()
		}
		e := entry{pub: pub, mod: pub, gen: gen, cat2: noCat}
		e.cat = uint8(r.IntN(len(categories)))
		if i%13 == 7 {
			e.cat2 = uint8((int(e.cat) + 1 + r.IntN(len(categories)-1)) % len(categories))
		}
		if r.IntN(5) == 0 { // edited some hours after publication
			e.mod = pub + 3600 + r.Int64N(48*3600)
		}
		e.shape = p.shapeFor(time.Unix(pub, 0))
		p.genPos[i] = int32(len(p.entries))
		p.entries = append(p.entries, e)
	}
	if !seedDone {
		addSeed()
	}
	for i := range p.entries {
		p.index(int32(i))
	}
}

// index registers entries[i] in the slug map and the category lists.
// Called with p.mu held for writing (or before p is shared).
func (p *Portal) index(i int32) {
	e := &p.entries[i]
	t := p.originalTitle(e.gen)
	for {
		e.slugc = p.makeSlugFrom(e, t)
		h := p.slugHash(e.shape, e.slugc)
		if _, taken := p.slugs[h]; !taken {
			p.slugs[h] = i
			break
		}
		e.dup++
	}
	p.lists[e.shape][e.cat] = append(p.lists[e.shape][e.cat], i)
	if e.cat2 != noCat {
		p.lists[e.shape][e.cat2] = append(p.lists[e.shape][e.cat2], i)
	}
}

func (p *Portal) slugHash(shape uint8, slug string) uint64 {
	var h maphash.Hash
	h.SetSeed(p.hseed)
	h.WriteByte(shape)
	h.WriteString(strings.ToLower(slug))
	return h.Sum64()
}

// originalTitle is the title of revision 1, from which the slug is made.
func (p *Portal) originalTitle(gen int32) string {
	if gen == 0 {
		return p.seed.title
	}
	return genTitle(p.rng(gen, partTitle))
}

// slug returns the article's URL slug in its shape.
func (p *Portal) slug(e *entry) string {
	if e.slugc != "" {
		return e.slugc
	}
	return p.makeSlug(e)
}

func (p *Portal) makeSlug(e *entry) string { return p.makeSlugFrom(e, p.originalTitle(e.gen)) }

func (p *Portal) makeSlugFrom(e *entry, t string) string {
	var s string
	if e.shape == shapePortal {
		s = portalSlug(t)
		if e.dup > 0 {
			s += "_" + strconv.Itoa(int(e.dup)+1)
		}
	} else {
		s = appsSlug(t)
		if e.dup > 0 {
			s += "-" + strconv.Itoa(int(e.dup)+1)
		}
	}
	return s
}

// articlePath is the article's path under category c.
func (p *Portal) articlePath(e *entry, c uint8) string {
	if e.shape == shapePortal {
		return "/Desktop.aspx/Tin-tuc/" + categories[c].portal + "/" + p.slug(e) + "/"
	}
	return "/nd/" + categories[c].apps + "/" + p.slug(e) + ".html"
}

// listingPath is page n (1-based) of category c in a shape.
func listingPath(shape uint8, c uint8, n int) string {
	if shape == shapePortal {
		s := "/Desktop.aspx/Tin-tuc/" + categories[c].portal + "/"
		if n > 1 {
			s += "?page=" + strconv.Itoa(n)
		}
		return s
	}
	if n > 1 {
		return "/nd/" + categories[c].apps + "/" + strconv.Itoa(n) + ".html"
	}
	return "/nd/" + categories[c].apps + ".html"
}

// key returns the article's Key.
func key(gen int32) string {
	if gen == 0 {
		return SeedKey
	}
	return "a" + strconv.Itoa(int(gen))
}

// lookup finds an entry index by Key. Called with p.mu held.
func (p *Portal) lookup(k string) (int32, bool) {
	if k == SeedKey {
		return p.genPos[0], true
	}
	s, ok := strings.CutPrefix(k, "a")
	if !ok {
		return 0, false
	}
	g, err := strconv.Atoi(s)
	if err != nil || g <= 0 || g >= len(p.genPos) {
		return 0, false
	}
	return p.genPos[g], true
}

// layoutOf is the layout a page of a URL shape is rendered with. Called
// with p.mu held.
func (p *Portal) layoutOf(shape uint8) Layout {
	if p.override != LayoutMixed {
		return p.override
	}
	if p.opts.Layout == LayoutGenerated {
		return LayoutGenerated
	}
	if shape == shapePortal {
		return LayoutVIEPortal
	}
	return LayoutVIEApps
}

// homeLayout is the layout of the home page (and of the login and 404
// pages). Called with p.mu held.
func (p *Portal) homeLayout() Layout {
	if p.override != LayoutMixed {
		return p.override
	}
	if p.opts.Layout == LayoutVIEPortal || p.opts.Layout == LayoutGenerated {
		return p.opts.Layout
	}
	return LayoutVIEApps
}

// TemplateText is the line of the generated theme's own that every
// article prints inside its text (docs/SIMULATOR.md, template_line), not
// part of any truth's body; "" when it prints none, or for another
// layout.
func (p *Portal) TemplateText() string {
	if p.opts.Layout != LayoutGenerated {
		return ""
	}
	return p.theme.TemplateText()
}

// Truth returns every live article as parc should archive it, in
// publication order. It renders every article's text: allow ~20 µs each.
func (p *Portal) Truth() []Article {
	p.mu.RLock()
	defer p.mu.RUnlock()
	out := make([]Article, 0, len(p.entries))
	for i := range p.entries {
		if p.entries[i].gone {
			continue
		}
		out = append(out, p.article(&p.entries[i]))
	}
	return out
}

// Lookup returns the truth of one article by Key, removed ones included.
func (p *Portal) Lookup(k string) (Article, bool) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	i, ok := p.lookup(k)
	if !ok {
		return Article{}, false
	}
	return p.article(&p.entries[i]), true
}

// article builds the truth of one entry. Called with p.mu held.
func (p *Portal) article(e *entry) Article {
	c := p.content(e, p.layoutOf(e.shape))
	a := Article{
		Key:       key(e.gen),
		URL:       p.articlePath(e, e.cat),
		Title:     c.title,
		Published: time.Unix(e.pub, 0).In(vnZone),
		Modified:  time.Unix(p.lastModified(e), 0).In(vnZone),
		Byline:    c.byline,
		Category:  categories[e.cat].name,
		Body:      strings.Join(c.paras, "\n\n"),
		Lead:      c.lead,
		Tags:      c.tags,
		Layout:    p.layoutOf(e.shape),
		Revision:  int(e.rev) + 1,
		Gone:      e.gone,
	}
	a.Paths = append(a.Paths, a.URL)
	if e.cat2 != noCat {
		a.Paths = append(a.Paths, p.articlePath(e, e.cat2))
	}
	a.Paths = append(a.Paths, a.URL+"?print=1")
	return a
}

// lastModified is the page's Last-Modified (unix seconds): the last edit
// or the last redesign, whichever is later. Called with p.mu held.
func (p *Portal) lastModified(e *entry) int64 {
	return max(e.mod, p.layoutAt)
}

// Publish adds n new articles, published now (one minute apart, after
// every existing article), at the top of the home page and of their
// category's first listing page. It returns their truth.
func (p *Portal) Publish(n int) []Article {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]Article, 0, n)
	now := p.now().Truncate(time.Minute).Unix()
	for k := 0; k < n; k++ {
		last := p.entries[len(p.entries)-1].pub
		pub := max(now, last+60)
		gen := int32(len(p.genPos))
		r := p.rng(gen, partMeta)
		e := entry{pub: pub, mod: pub, gen: gen, cat2: noCat, cat: uint8(r.IntN(len(categories)))}
		e.shape = shapeApps
		if p.opts.Layout == LayoutVIEPortal || p.opts.Layout == LayoutGenerated && p.theme.Is(theme.URLs, "vieportal") {
			e.shape = shapePortal
		}
		i := int32(len(p.entries))
		p.entries = append(p.entries, e)
		p.genPos = append(p.genPos, i)
		p.index(i)
		out = append(out, p.article(&p.entries[i]))
	}
	p.log.Debug("published", "n", n)
	return out
}

// Edit makes a new revision of an article: odd revisions change the
// title, even ones a paragraph. Modified, ETag and Last-Modified change.
func (p *Portal) Edit(k string) (Article, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	i, ok := p.lookup(k)
	if !ok {
		return Article{}, fmt.Errorf("edit %q: %w", k, ErrUnknownArticle)
	}
	e := &p.entries[i]
	e.rev++
	e.mod = max(p.now().Unix(), p.lastModified(e)+1)
	return p.article(e), nil
}

// Remove makes an article answer 404 while listings still link it.
func (p *Portal) Remove(k string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	i, ok := p.lookup(k)
	if !ok {
		return fmt.Errorf("remove %q: %w", k, ErrUnknownArticle)
	}
	p.entries[i].gone = true
	return nil
}

// SetLayout switches every page to one layout's templates (URLs stay):
// a redesign. LayoutMixed restores each era's own templates. Last-Modified
// and ETag of every page change.
func (p *Portal) SetLayout(l Layout) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if l > LayoutGenerated {
		l = LayoutMixed
	}
	p.override = l
	p.layoutAt = max(p.now().Unix(), p.layoutAt+1)
}
