package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

const canonicalPage = `<!doctype html><html lang="vi"><head><meta charset="utf-8">
<title>Hội nghị tổng kết năm 2020</title>
<link rel="canonical" href="https://portal.example/tin/hoi-nghi-tong-ket-2020.html"></head>
<body><article><h1>Hội nghị tổng kết năm 2020</h1>
<p class="date">01:39' PM - Thứ tư, 27/01/2021</p>
<p>Ngày 27/01/2021, Đảng ủy Tập đoàn tổ chức Hội nghị tổng kết hoạt động năm 2020 và phương hướng nhiệm vụ trong thời gian tới, với sự tham dự của các đồng chí trong Ban Chỉ đạo.</p>
<p>Hội nghị đã đánh giá kết quả thực hiện nhiệm vụ năm 2020 và đề ra các giải pháp cho năm 2021, tập trung vào công tác tuyên truyền và bảo vệ nền tảng tư tưởng của Đảng.</p>
</article></body></html>`

func runExtract(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := runParc(context.Background(), append([]string{"extract"}, args...), strings.NewReader(canonicalPage), &out, &errOut)
	return out.String(), errOut.String() + errString(err), exitCode(err)
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// Without --config and without ./config.yaml, extract runs on the
// built-in defaults, and the record's URL is the page's canonical link.
func TestExtractNeedsNoConfigAndUsesTheCanonicalLink(t *testing.T) {
	t.Chdir(t.TempDir())
	out, errOut, code := runExtract(t, "-")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rec struct{ URL, Title, Published string }
	if err := json.Unmarshal([]byte(out), &rec); err != nil {
		t.Fatalf("not one JSON record: %v\n%s", err, out)
	}
	if rec.URL != "https://portal.example/tin/hoi-nghi-tong-ket-2020.html" {
		t.Errorf("url = %q, want the canonical link", rec.URL)
	}
	if rec.Title != "Hội nghị tổng kết năm 2020" || rec.Published != "2021-01-27T13:39:00+07:00" {
		t.Errorf("title %q, published %q", rec.Title, rec.Published)
	}
}

// ./config.yaml is read when present: its portal name reaches the record.
func TestExtractReadsConfigYAMLWhenPresent(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	cfg := "portal:\n  name: mine\n  start_urls: [\"https://portal.example/\"]\n"
	if err := os.WriteFile(filepath.Join(dir, "config.yaml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runExtract(t, "-")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, `"portal": "mine"`) {
		t.Errorf("the record does not name the config's portal:\n%s", out)
	}
}

func TestExtractUsageErrors(t *testing.T) {
	t.Chdir(t.TempDir())
	for _, args := range [][]string{{"--config", "missing.yaml", "-"}, {"--format", "yaml", "-"}, {}} {
		if _, errOut, code := runExtract(t, args...); code != exitUsage {
			t.Errorf("parc extract %v: exit %d, want %d (%s)", args, code, exitUsage, errOut)
		}
	}
}

func TestExtractTextFormatIsReadable(t *testing.T) {
	t.Chdir(t.TempDir())
	out, errOut, code := runExtract(t, "--format", "text", "--explain", "-")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{`(?m)^title: +Hội nghị tổng kết năm 2020$`, `(?m)^published: +2021-01-27T13:39:00\+07:00$`, `\n\nNgày 27/01/2021, Đảng ủy`, `\nexplain:\n`, `(?m)^  title: `} {
		if !regexp.MustCompile(want).MatchString(out) {
			t.Errorf("text output does not match %s:\n%s", want, out)
		}
	}
}
