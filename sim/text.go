package sim

import (
	"math/rand/v2"
	"strconv"
	"unicode"
	"unicode/utf8"
)

// The vocabulary of generated articles: real Vietnamese phrases about the
// chemical industry, fertiliser, rubber, party and union life. Everything is
// NFC. Generation draws from these lists with a PCG seeded by (seed, article,
// revision part), so no text is stored.

var subjects = []string{
	"Tập đoàn Hóa chất Việt Nam", "Vinachem", "Ban Thường vụ Đảng ủy Tập đoàn", "Đảng ủy Tập đoàn",
	"Hội đồng thành viên Tập đoàn", "Ban Tổng giám đốc", "Công đoàn Hóa chất Việt Nam",
	"Đoàn Thanh niên Tập đoàn", "Công ty CP Phân bón Bình Điền", "Công ty CP Supe Phốt phát và Hóa chất Lâm Thao",
	"Công ty CP Cao su Đà Nẵng", "Công ty CP Công nghiệp Cao su Miền Nam", "Công ty CP DAP - Vinachem",
	"Công ty TNHH MTV Apatit Việt Nam", "Công ty CP Phân đạm và Hóa chất Hà Bắc", "Công ty CP Phân lân Ninh Bình",
	"Công ty CP Pin Ắc quy Miền Nam", "Công ty CP Bột giặt LIX", "Công ty CP Hóa chất Cơ bản Miền Nam",
	"Viện Hóa học Công nghiệp Việt Nam", "Công ty CP Phân bón Miền Nam", "Công ty CP Cao su Sao Vàng",
	"Công ty CP Hóa chất Việt Trì", "Công ty CP Phân lân nung chảy Văn Điển", "Trung tâm Thông tin KHKT Hóa chất",
	"Ủy ban Kiểm tra Đảng ủy Tập đoàn", "Ban Chỉ đạo 35 Đảng ủy Tập đoàn", "Hội Cựu chiến binh Tập đoàn",
}

var verbs = []string{
	"tổ chức", "triển khai", "hoàn thành", "ký kết", "đẩy mạnh", "công bố", "phát động", "tổng kết",
	"sơ kết", "khởi công", "khánh thành", "đưa vào vận hành", "kiểm tra", "làm việc về", "quán triệt",
	"tiếp tục thực hiện", "chỉ đạo", "đánh giá", "hưởng ứng", "nghiệm thu",
}

var objects = []string{
	"hội nghị tổng kết công tác năm", "kế hoạch sản xuất kinh doanh", "phong trào thi đua lao động sản xuất",
	"chương trình an toàn vệ sinh lao động", "dự án mở rộng nhà máy sản xuất phân đạm", "hợp đồng cung ứng lốp xe tải",
	"đề án tái cơ cấu doanh nghiệp", "hội nghị người lao động", "đại hội đại biểu Đảng bộ",
	"lớp bồi dưỡng lý luận chính trị", "chương trình chuyển đổi số", "dây chuyền sản xuất axit sunfuric",
	"hệ thống xử lý nước thải", "kế hoạch bảo dưỡng sửa chữa lớn", "nghị quyết của Ban Chấp hành Trung ương",
	"tháng hành động về an toàn vệ sinh lao động", "công tác phòng cháy chữa cháy", "chương trình hỗ trợ nông dân",
	"giải bóng đá công nhân viên chức lao động", "dự án sản xuất pin lithium", "hội thảo khoa học công nghệ",
	"kế hoạch tiêu thụ phân bón vụ Đông Xuân", "công tác kiểm tra giám sát", "chương trình tiết kiệm năng lượng",
	"hoạt động tri ân các anh hùng liệt sĩ", "nhiệm vụ bảo vệ nền tảng tư tưởng của Đảng",
}

var complements = []string{
	"trong quý I", "trong 6 tháng đầu năm", "năm 2023", "giai đoạn 2021 - 2025", "với sự tham gia của hơn 200 đại biểu",
	"nhằm nâng cao hiệu quả quản trị doanh nghiệp", "theo đúng tiến độ đề ra", "tại Hà Nội", "tại Thành phố Hồ Chí Minh",
	"tại tỉnh Lào Cai", "tại Khu công nghiệp Đình Vũ", "trong bối cảnh giá nguyên liệu đầu vào biến động mạnh",
	"góp phần bảo đảm an ninh lương thực quốc gia", "trên tinh thần đoàn kết, trách nhiệm", "một cách thiết thực và hiệu quả",
	"phục vụ sản xuất nông nghiệp", "cho cán bộ, đảng viên và người lao động", "theo chỉ đạo của Bộ Công Thương",
	"đáp ứng yêu cầu của thị trường trong nước và xuất khẩu", "bảo đảm an toàn tuyệt đối cho người và thiết bị",
}

var products = []string{
	"phân đạm urê", "phân lân", "phân bón NPK", "DAP", "lốp xe tải", "săm lốp xe máy", "axit sunfuric",
	"xút NaOH", "quặng apatit", "ắc quy", "bột giặt", "phốt pho vàng", "supe lân", "chất tẩy rửa",
}

var periods = []string{
	"tháng 8", "quý I", "quý III", "6 tháng đầu năm", "9 tháng", "năm 2022", "năm 2023", "vụ Hè Thu", "vụ Đông Xuân",
}

var people = []string{
	"đồng chí Nguyễn Văn Quý", "ông Phùng Quang Hiệp", "bà Nguyễn Thị Thu Hà", "ông Trần Văn Hùng",
	"đồng chí Lê Minh Tuấn", "bà Phạm Thị Lan", "ông Đỗ Quang Vinh", "đồng chí Hoàng Thị Mai",
}

var roles = []string{
	"Phó Bí thư Thường trực Đảng ủy Tập đoàn", "Tổng giám đốc", "Chủ tịch Công đoàn", "Bí thư Đoàn Thanh niên",
	"Trưởng ban Kỹ thuật", "Giám đốc nhà máy", "Chủ tịch Hội đồng thành viên", "Phó Tổng giám đốc",
}

var clauses = []string{
	"các đơn vị cần chủ động xây dựng kịch bản điều hành linh hoạt",
	"công tác an toàn phải được đặt lên hàng đầu",
	"người lao động là tài sản quý giá nhất của doanh nghiệp",
	"chuyển đổi số là nhiệm vụ trọng tâm trong thời gian tới",
	"chất lượng sản phẩm quyết định sự tồn tại của thương hiệu",
	"mỗi cán bộ, đảng viên phải gương mẫu đi đầu",
	"việc tiết giảm chi phí cần được thực hiện quyết liệt",
	"hợp tác quốc tế mở ra nhiều cơ hội mới cho ngành hóa chất",
}

var bylines = []string{
	"NGUYỄN VĂN AN", "THU HÀ", "HỒNG LIÊN", "MINH ĐỨC", "PV", "Theo TTXVN", "TRẦN THỊ MAI", "QUANG HUY",
	"LÊ PHƯƠNG", "BẢO NGỌC", "Theo Báo Công Thương", "VĂN THẮNG", "KIM DUNG", "ĐỨC ANH",
}

var tagWords = []string{
	"phân bón", "cao su", "hóa chất", "an toàn lao động", "công đoàn", "Đảng bộ", "thị trường", "xuất khẩu",
	"chuyển đổi số", "môi trường", "apatit", "DAP", "lốp xe", "thi đua", "khoa học công nghệ",
}

func pick(r *rand.Rand, list []string) string { return list[r.IntN(len(list))] }

// upperFirst upper-cases the first letter.
func upperFirst(s string) string {
	c, n := utf8.DecodeRuneInString(s)
	if c == utf8.RuneError || unicode.IsUpper(c) {
		return s
	}
	return string(unicode.ToUpper(c)) + s[n:]
}

func wordCount(s string) int {
	n, in := 0, false
	for i := 0; i < len(s); i++ {
		sp := s[i] == ' '
		if !sp && !in {
			n++
		}
		in = !sp
	}
	return n
}

// genTitle makes a headline of 8-20 words, without final punctuation.
func genTitle(r *rand.Rand) string {
	var t string
	for try := 0; try < 8; try++ {
		switch r.IntN(4) {
		case 0:
			t = pick(r, subjects) + " " + pick(r, verbs) + " " + pick(r, objects) + " " + pick(r, complements)
		case 1:
			t = "Sản lượng " + pick(r, products) + " " + pick(r, periods) + " tăng " + strconv.Itoa(3+r.IntN(40)) + "% so với cùng kỳ năm trước"
		case 2:
			t = upperFirst(pick(r, objects)) + " của " + pick(r, subjects) + " " + pick(r, complements)
		default:
			t = pick(r, subjects) + " " + pick(r, verbs) + " " + pick(r, objects)
		}
		if n := wordCount(t); n >= 8 && n <= 20 {
			return t
		}
	}
	return "Tập đoàn Hóa chất Việt Nam " + pick(r, verbs) + " " + pick(r, objects)
}

func appendPercent(b []byte, r *rand.Rand) []byte {
	b = strconv.AppendInt(b, int64(1+r.IntN(60)), 10)
	if r.IntN(2) == 0 {
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(1+r.IntN(9)), 10)
	}
	return append(b, '%')
}

// appendSentence appends one sentence ending in "." (no leading space).
func appendSentence(b []byte, r *rand.Rand) []byte {
	switch r.IntN(6) {
	case 0:
		b = append(b, "Sản lượng "...)
		b = append(b, pick(r, products)...)
		b = append(b, " của "...)
		b = append(b, pick(r, subjects)...)
		b = append(b, " trong "...)
		b = append(b, pick(r, periods)...)
		b = append(b, " đạt "...)
		b = strconv.AppendInt(b, int64(10+r.IntN(990)), 10)
		b = append(b, " nghìn tấn, tăng "...)
		b = appendPercent(b, r)
		b = append(b, " so với cùng kỳ năm trước."...)
	case 1:
		b = append(b, "Phát biểu tại hội nghị, "...)
		b = append(b, pick(r, people)...)
		b = append(b, " – "...)
		b = append(b, pick(r, roles)...)
		b = append(b, " nhấn mạnh: “"...)
		b = append(b, upperFirst(pick(r, clauses))...)
		b = append(b, "”."...)
	case 2:
		b = append(b, "Theo "...)
		b = append(b, pick(r, people)...)
		b = append(b, ", "...)
		b = append(b, pick(r, clauses)...)
		b = append(b, '.')
	case 3:
		b = append(b, "Ngày "...)
		b = pad2(b, 1+r.IntN(28))
		b = append(b, '/')
		b = pad2(b, 1+r.IntN(12))
		b = append(b, ", "...)
		b = append(b, pick(r, subjects)...)
		b = append(b, " đã "...)
		b = append(b, pick(r, verbs)...)
		b = append(b, ' ')
		b = append(b, pick(r, objects)...)
		b = append(b, ' ')
		b = append(b, pick(r, complements)...)
		b = append(b, '.')
	default:
		b = append(b, pick(r, subjects)...)
		b = append(b, ' ')
		b = append(b, pick(r, verbs)...)
		b = append(b, ' ')
		b = append(b, pick(r, objects)...)
		b = append(b, ' ')
		b = append(b, pick(r, complements)...)
		if r.IntN(2) == 0 {
			b = append(b, ", "...)
			b = append(b, pick(r, complements)...)
		}
		b = append(b, '.')
	}
	return b
}

// genParagraph makes a paragraph of 2-5 sentences.
func genParagraph(r *rand.Rand) string {
	b := make([]byte, 0, 512)
	n := 2 + r.IntN(4)
	for i := 0; i < n; i++ {
		if i > 0 {
			b = append(b, ' ')
		}
		b = appendSentence(b, r)
	}
	return string(b)
}

// genLead makes a one-sentence summary.
func genLead(r *rand.Rand) string {
	return string(appendSentence(make([]byte, 0, 200), r))
}

func genTags(r *rand.Rand) []string {
	n := 2 + r.IntN(3)
	tags := make([]string, 0, n)
	for len(tags) < n {
		t := pick(r, tagWords)
		dup := false
		for _, x := range tags {
			dup = dup || x == t
		}
		if !dup {
			tags = append(tags, t)
		}
	}
	return tags
}
