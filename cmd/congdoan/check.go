package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"
)

// runCheck is `congdoan check [--repair]`: the derived-data check on a live
// database — the tree's closure, the member counts, each person's current
// unit and status, the monthly snapshots, against the records they derive
// from. It exits non-zero naming what is out of step; --repair rebuilds
// them from the records (audited) and checks again.
func runCheck(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	c := addCommon(fs, getenv)
	repair := fs.Bool("repair", false, "dựng lại các bảng tổng hợp từ hồ sơ (ghi nhật ký) rồi kiểm tra lại")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	a, err := c.open(ctx, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	sys := system(ctx)
	start := time.Now()
	cerr := a.db.CheckDerived(sys)
	if cerr == nil {
		fmt.Fprintf(stdout, "Dữ liệu tổng hợp khớp với hồ sơ (kiểm tra trong %s).\n", time.Since(start).Round(time.Millisecond))
		return nil
	}
	fmt.Fprintf(stdout, "Dữ liệu tổng hợp KHÔNG khớp với hồ sơ: %v\n", cerr)
	if !*repair {
		fmt.Fprintln(stdout, "Chạy lại với --repair để dựng lại từ hồ sơ.")
		return fmt.Errorf("dữ liệu tổng hợp không khớp")
	}
	start = time.Now()
	if err := a.db.RepairDerived(sys); err != nil {
		return cliError(err)
	}
	if err := a.db.CheckDerived(sys); err != nil {
		return fmt.Errorf("đã dựng lại nhưng vẫn không khớp: %w", err)
	}
	// A running server caches figures in its own memory: it learns of
	// writes made through it, not of this process's.
	fmt.Fprintf(stdout, "Đã dựng lại dữ liệu tổng hợp từ hồ sơ trong %s (đã ghi nhật ký); kiểm tra lại: khớp. Nếu congdoan serve đang chạy, hãy khởi động lại để số liệu trên trang được tính lại.\n", time.Since(start).Round(time.Millisecond))
	return nil
}
