// Command congdoan runs the trade-union registry: the web UI and JSON API
// (serve), database migrations (migrate), the demo province (demo) and
// user administration (user).
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "congdoan:", err)
		os.Exit(1)
	}
}

const usage = `congdoan — quản lý đoàn viên và theo dõi kế hoạch của tổ chức công đoàn.

Cách dùng:
  congdoan serve [--demo] [--addr ĐỊA-CHỈ] [--db DSN]   chạy giao diện web và API
  congdoan migrate [--db DSN]                           cập nhật cấu trúc cơ sở dữ liệu
  congdoan demo [--seed N] [--members N] [--db DSN]     tạo tỉnh mẫu (cơ sở dữ liệu trống)
  congdoan user add --username TÊN --role VAI-TRÒ [--unit MÃ] [--name "Họ tên"]
  congdoan user list
  congdoan user passwd --username TÊN
  congdoan report --unit MÃ --period 2025|2025-H1|2025-Q3 [--format xlsx|pdf] -o TỆP
  congdoan report create --unit MÃ --period KỲ | submit ID | approve ID | verify ID | render ID -o TỆP | list
  congdoan snapshots [--db DSN]                          tính lại số liệu đoàn viên đầu các tháng
  congdoan import members|employers TỆP [--unit MÃ] [--sheet TÊN] [--dry-run] [--partial] [--as TÀI-KHOẢN]  nhập đoàn viên, đơn vị SDLĐ từ xlsx/csv
  congdoan check [--repair]                              kiểm tra dữ liệu tổng hợp khớp hồ sơ; --repair dựng lại (ghi nhật ký)
  congdoan audit verify                                  kiểm tra chuỗi nhật ký (mã thoát khác 0 nếu có chỗ không khớp)
  congdoan audit rotate-key                              thêm khóa ký nhật ký mới (khóa cũ vẫn dùng để kiểm tra)
  congdoan bench [--members 1000000] [--queries 300] [--db DSN]  đo tốc độ tìm kiếm, danh sách

Cấu hình qua biến môi trường:
  CONGDOAN_DB              tệp SQLite (mặc định congdoan.db) hoặc postgres://…
  CONGDOAN_ADDR            địa chỉ lắng nghe (mặc định localhost:8080)
  CONGDOAN_ADMIN_PASSWORD  mật khẩu quản trị khi tạo tỉnh mẫu (không có thì tự sinh và in ra một lần)
  CONGDOAN_PASSWORD        mật khẩu cho "user add" / "user passwd" (không có thì đọc dòng đầu của stdin)
  CONGDOAN_SECURE_COOKIES  1 khi chạy sau HTTPS
  CONGDOAN_LOG_LEVEL       debug, info (mặc định), warn, error
  CONGDOAN_METRICS_ADDR    địa chỉ riêng cho /metrics (Prometheus); trống: tắt
  CONGDOAN_CACHE_MB        bộ nhớ cho số liệu bảng điều khiển đã tính, MB (mặc định 2048)
  CONGDOAN_AUDIT_KEY_FILE  tệp khóa ký nhật ký (mặc định: cạnh tệp SQLite, hoặc congdoan-audit.key)
  CONGDOAN_NOTIFIER        nơi gửi tin về báo cáo: log (ghi vào nhật ký chạy, không gửi đi; mặc định) hoặc none
  CONGDOAN_AGREEMENT_NOTICE_DAYS  số ngày trước khi thỏa ước hết hạn thì báo trong mục Việc cần làm (mặc định 60)
Vai trò: admin, province_officer, upper_officer, grassroots_officer, monitor.
`

// run is the whole program, testable: arguments, environment and streams
// come in; nothing is read from globals.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("thiếu lệnh (serve, migrate, demo, user)")
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return runServe(ctx, rest, getenv, stdout, stderr)
	case "migrate":
		return runMigrate(ctx, rest, getenv, stdout, stderr)
	case "demo":
		return runDemo(ctx, rest, getenv, stdout, stderr)
	case "user":
		return runUser(ctx, rest, getenv, stdin, stdout, stderr)
	case "report":
		return runReport(ctx, rest, getenv, stdout, stderr)
	case "snapshots":
		return runSnapshotsCommand(ctx, rest, getenv, stdout, stderr)
	case "bench":
		return runBench(ctx, rest, getenv, stdout, stderr)
	case "audit":
		return runAudit(ctx, rest, getenv, stdout, stderr)
	case "check":
		return runCheck(ctx, rest, getenv, stdout, stderr)
	case "import":
		return runImport(ctx, rest, getenv, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("lệnh không rõ: %q", cmd)
}
