package main

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// words is the synthetic articles' vocabulary: Vietnamese syllables and
// words as the portal prints them (NFC, with their marks), commonest
// first; articles draw them with a Zipf distribution.
var words = strings.Fields(`của và các là trong có được cho với những một đã này không người để
tại năm công ty tập đoàn hóa chất việt nam đầu tư phát triển sản xuất kinh doanh thị trường doanh nghiệp
hội nghị tổng kết kế hoạch thực hiện chỉ đạo công tác quản lý nhà máy phân bón cao su lốp xe
điện than dầu khí xuất khẩu nhập khẩu tăng trưởng lợi nhuận vốn cổ phần cổ đông đại hội ban giám đốc
chủ tịch bộ công thương chính phủ thủ tướng ngân hàng tín dụng lãi suất giá bán tiêu thụ sản lượng
môi trường an toàn lao động đào tạo nguồn nhân lực khoa học kỹ thuật đổi mới sáng tạo chuyển đổi số
hợp tác quốc tế nhật bản hàn quốc trung quốc hoa kỳ châu âu thỏa thuận ký kết dự án khởi công
hoàn thành vận hành bảo dưỡng sửa chữa thiết bị dây chuyền công nghệ hiện đại tiết kiệm năng lượng
đảng ủy công đoàn thanh niên phụ nữ cựu chiến binh thi đua khen thưởng huân chương bằng khen
tháng quý đầu cuối kỳ báo cáo số liệu đánh giá kết quả mục tiêu nhiệm vụ giải pháp trọng tâm
miền bắc miền nam miền trung hà nội hải phòng đà nẵng thành phố hồ chí minh lào cai quảng ninh
đồng nai bình dương bà rịa vũng tàu ninh bình thái bình nghệ an thanh hóa phú thọ bắc giang
apatit lân supe đạm urê kali sút clo axit sunfuric xút muối mỏ quặng tuyển khai thác chế biến
ắc quy pin chất tẩy rửa bột giặt sơn nhựa săm hóa dược thuốc bảo vệ thực vật khí công nghiệp
vinachem dap lâm thao bình điền đức giang miền nam casumina drc sao vàng pinaco dạm hà bắc`)

// article is one synthetic article.
type article struct {
	ID, Title, Body, Portal, Category, Byline, Published string
}

var (
	portals    = []string{"vinachem", "dap", "lamthao"}
	categories = []string{"Tin tập đoàn", "Tin đơn vị", "Thị trường", "Đảng đoàn thể", "Khoa học công nghệ", "Quốc tế", "An toàn môi trường", "Thông báo"}
)

// corpus makes n articles, the same ones for the same seed.
func corpus(n int, seed uint64) []article {
	r := rand.New(rand.NewPCG(seed, 19))
	z := rand.NewZipf(r, 1.1, 4, uint64(len(words)-1))
	phrase := func(k int) string {
		w := make([]string, k)
		for i := range w {
			w[i] = words[z.Uint64()]
		}
		return strings.Join(w, " ")
	}
	start := time.Date(2020, 1, 1, 0, 0, 0, 0, time.FixedZone("ICT", 7*3600))
	out := make([]article, n)
	for i := range out {
		var body strings.Builder
		for p := range 4 {
			if p > 0 {
				body.WriteString("\n\n")
			}
			body.WriteString(phrase(30 + r.IntN(20)))
			body.WriteString(".")
		}
		out[i] = article{
			ID:        fmt.Sprintf("%016x", r.Uint64()),
			Title:     phrase(8 + r.IntN(6)),
			Body:      body.String(),
			Portal:    portals[r.IntN(len(portals))],
			Category:  categories[r.IntN(len(categories))],
			Byline:    fmt.Sprintf("PV %d", r.IntN(60)),
			Published: start.Add(time.Duration(r.IntN(5*365*24)) * time.Hour).Format(time.RFC3339),
		}
	}
	return out
}
