// Package testtool holds helpers for parc's tests. Find locates the
// external programs that tests read parc's output back with (python3,
// promtool): a missing program makes those checks skip on a developer's
// machine, but fails the test where PARC_REQUIRE_TOOLS is set: CI installs
// them, and a check that skips there silently would prove nothing. Body
// makes article text.
package testtool

import (
	"errors"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// Find returns the path of program name. When it is not on PATH, Find logs
// why the check does not run and returns false, or fails the test when
// PARC_REQUIRE_TOOLS is set.
func Find(tb testing.TB, name, pkg string) (string, bool) {
	tb.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path, true
	}
	if os.Getenv("PARC_REQUIRE_TOOLS") != "" {
		tb.Fatalf("%s not on PATH (Debian package %s) and PARC_REQUIRE_TOOLS is set", name, pkg)
	}
	tb.Logf("%s not on PATH (Debian package %s): this check does not run", name, pkg)
	return "", false
}

var bodyWords = strings.Fields("Tập đoàn Hóa chất Việt Nam tổ chức hội nghị tổng kết năm phân bón urê giá tăng mạnh trong quý một do nhu cầu nông nghiệp và xuất khẩu")

// Body returns a distinct Vietnamese article body for seed i: paras
// paragraphs of 60 shuffled words (~430 bytes each), in NFC, as extract
// produces bodies. Tests and benchmarks of the archive use it.
func Body(i, paras int) string {
	r := rand.New(rand.NewPCG(uint64(i), 2))
	var sb strings.Builder
	for p := range paras {
		if p > 0 {
			sb.WriteString("\n\n")
		}
		for w := range 60 {
			if w > 0 {
				sb.WriteByte(' ')
			}
			sb.WriteString(bodyWords[r.IntN(len(bodyWords))])
		}
	}
	return sb.String()
}

// TmpFS mounts a tmpfs of size bytes on a fresh folder, unmounted when the
// test ends, and returns the folder and a function that resizes it. Only
// root can mount: elsewhere the check does not run; as root, a failed
// mount fails the test when PARC_REQUIRE_TOOLS is set, unless the machine
// forbids mounting (EPERM: root without CAP_SYS_ADMIN in a container).
func TmpFS(tb testing.TB, size int64) (dir string, resize func(size int64), ok bool) {
	tb.Helper()
	if os.Geteuid() != 0 {
		tb.Logf("not root, no tmpfs to fill: this check does not run")
		return "", nil, false
	}
	dir = tb.TempDir()
	opts := func(n int64) string { return "size=" + strconv.FormatInt(n, 10) }
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, opts(size)); err != nil {
		if errors.Is(err, syscall.EPERM) {
			// Root without CAP_SYS_ADMIN (an unprivileged container):
			// not a missing tool, a machine that forbids it.
			tb.Logf("mount tmpfs: %v (root without CAP_SYS_ADMIN): this check does not run", err)
			return "", nil, false
		}
		return "", nil, missing(tb, "mount tmpfs: "+err.Error())
	}
	tb.Cleanup(func() {
		if err := syscall.Unmount(dir, 0); err != nil {
			tb.Errorf("unmount %s: %v", dir, err)
		}
	})
	resize = func(n int64) {
		tb.Helper()
		if err := syscall.Mount("tmpfs", dir, "tmpfs", syscall.MS_REMOUNT, opts(n)); err != nil {
			tb.Fatalf("resize tmpfs %s: %v", dir, err)
		}
	}
	return dir, resize, true
}
