package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"congdoan"
	"congdoan/geo"
	"congdoan/report"
	"congdoan/vntext"
)

// reportUsage lists the report commands (printed on a usage error).
const reportUsage = `Cách dùng:
  congdoan report --unit MÃ --period 2025|2025-H1|2025-Q3 [--format xlsx|pdf] -o TỆP   tính và ghi báo cáo (không lưu)
  congdoan report create --unit MÃ --period KỲ    lập báo cáo nháp, in số báo cáo
  congdoan report submit SỐ                       gửi báo cáo lên cấp trên
  congdoan report approve SỐ                      duyệt và chốt số liệu
  congdoan report verify SỐ                       đối chiếu số liệu đã chốt với hiện tại (mã thoát khác 0 nếu đã thay đổi)
  congdoan report render SỐ [--format xlsx|pdf] -o TỆP   ghi báo cáo đã lưu (số liệu đã lưu, không tính lại)
  congdoan report list [--unit MÃ]                liệt kê báo cáo
Các lệnh chạy với quyền quản trị hệ thống.
`

// runReport dispatches the report commands. Without a subcommand it
// writes the plan report of a unit for a period, computed now and not
// stored: congdoan report --unit CODE --period 2025|2025-H1|2025-Q3 --format xlsx|pdf -o FILE.
// The workflow commands (create, submit, approve, verify, render, list)
// act as the system user: whoever runs the binary on the server already
// holds the database.
func runReport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "create":
			return runReportCreate(ctx, args[1:], getenv, stdout, stderr)
		case "submit", "approve", "verify", "render":
			return runReportID(ctx, args[0], args[1:], getenv, stdout, stderr)
		case "list":
			return runReportList(ctx, args[1:], getenv, stdout, stderr)
		case "help", "-h", "--help":
			fmt.Fprint(stdout, reportUsage)
			return nil
		}
		if !strings.HasPrefix(args[0], "-") {
			fmt.Fprint(stderr, reportUsage)
			return fmt.Errorf("lệnh báo cáo không rõ: %q", args[0])
		}
	}
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	c := addCommon(fs, getenv)
	unit := fs.String("unit", "", "unit code")
	period := fs.String("period", "", "2025, 2025-H1, 2025-Q3 …")
	format := fs.String("format", "", "xlsx or pdf (default: from the file name)")
	out := fs.String("o", "", "output file")
	place := fs.String("place", "", placeUsage)
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if *unit == "" || *period == "" || *out == "" {
		return fmt.Errorf("cần --unit, --period và -o (ví dụ: congdoan report --unit LDLD-TN --period 2025 -o baocao.pdf)")
	}
	f, err := outputFormat(*format, *out)
	if err != nil {
		return err
	}
	p, err := congdoan.ParseReportPeriod(*period)
	if err != nil {
		return cliError(err)
	}
	a, err := c.open(ctx, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	rep, err := a.svc.Reports.ComputeReport(system(ctx), *unit, p)
	if err != nil {
		return cliError(err)
	}
	r := report.FromReport(rep, reportPlace(ctx, a, rep, *place))
	if err := writeReport(*out, f, r); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Đã ghi báo cáo %s, %s, số liệu đến ngày %s: %s\n", r.UnitName, r.Period, vntext.FormatDate(r.AsOf), *out)
	return nil
}

// runReportCreate: congdoan report create --unit CODE --period P. It
// prints the new report's number alone on stdout, for scripts, and the
// description on stderr.
func runReportCreate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("report create", flag.ContinueOnError)
	c := addCommon(fs, getenv)
	unit := fs.String("unit", "", "unit code")
	period := fs.String("period", "", "2025, 2025-H1, 2025-Q3 …")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if *unit == "" || *period == "" {
		return fmt.Errorf("cần --unit và --period (ví dụ: congdoan report create --unit LDLD-TN --period 2025-H1)")
	}
	p, err := congdoan.ParseReportPeriod(*period)
	if err != nil {
		return cliError(err)
	}
	a, err := c.open(ctx, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	r, err := a.svc.Reports.CreateReport(system(ctx), *unit, p)
	if err != nil {
		return cliError(err)
	}
	fmt.Fprintln(stdout, r.ID)
	fmt.Fprintf(stderr, "Đã lập báo cáo nháp số %d: %s, %s, số liệu đến ngày %s.\n", r.ID, r.UnitName, r.PeriodLabel, r.AsOf.VN())
	return nil
}

// runReportID runs the commands that take a report number: submit,
// approve, verify and render.
func runReportID(ctx context.Context, cmd string, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("report "+cmd, flag.ContinueOnError)
	c := addCommon(fs, getenv)
	var format, out, place *string
	if cmd == "render" {
		format = fs.String("format", "", "xlsx or pdf (default: from the file name)")
		out = fs.String("o", "", "output file")
		place = fs.String("place", "", placeUsage)
	}
	id, err := parseWithID(fs, args, stderr)
	if err != nil {
		return err
	}
	var f string
	if cmd == "render" {
		if *out == "" {
			return fmt.Errorf("cần -o (ví dụ: congdoan report render %d -o baocao.pdf)", id)
		}
		if f, err = outputFormat(*format, *out); err != nil {
			return err
		}
	}
	a, err := c.open(ctx, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	e := a.svc.Reports
	sys := system(ctx)
	switch cmd {
	case "submit":
		r, err := e.SubmitReport(sys, id)
		if err != nil {
			return cliError(err)
		}
		fmt.Fprintf(stdout, "Đã gửi báo cáo số %d (%s, %s) lên cấp trên.\n", r.ID, r.UnitName, r.PeriodLabel)
	case "approve":
		r, err := e.ApproveReport(sys, id)
		if err != nil {
			return cliError(err)
		}
		fmt.Fprintf(stdout, "Đã duyệt và chốt báo cáo số %d (%s, %s, số liệu đến ngày %s). Mã kiểm tra: %s\n", r.ID, r.UnitName, r.PeriodLabel, r.AsOf.VN(), r.Hash)
	case "verify":
		v, err := e.VerifyReport(sys, id)
		if err != nil {
			return cliError(err)
		}
		approved := vntext.FormatDate(v.ApprovedAt.In(congdoan.VietnamTime))
		if v.OK {
			fmt.Fprintf(stdout, "Báo cáo số %d không thay đổi kể từ khi duyệt ngày %s (%s, %s, số liệu đến ngày %s).\n", v.ReportID, approved, v.UnitName, v.Period, v.AsOf.VN())
			return nil
		}
		fmt.Fprintf(stdout, "Báo cáo số %d (%s, %s, số liệu đến ngày %s) đã thay đổi kể từ khi duyệt ngày %s:\n", v.ReportID, v.UnitName, v.Period, v.AsOf.VN(), approved)
		if !v.Intact {
			fmt.Fprintln(stdout, "  - Số liệu đã chốt bị sửa trực tiếp trong cơ sở dữ liệu: mã kiểm tra không khớp.")
		}
		for _, ch := range v.Changes {
			fmt.Fprintln(stdout, "  - "+ch.Message)
		}
		// A non-zero exit status is the answer scripts look at.
		return fmt.Errorf("báo cáo số %d đã thay đổi (%d chỉ tiêu)", v.ReportID, len(v.Changes))
	case "render":
		r, err := e.FindReport(sys, id)
		if err != nil {
			return cliError(err)
		}
		if err := writeReport(*out, f, report.FromReport(r, reportPlace(ctx, a, r, *place))); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Đã ghi báo cáo số %d (%s), %s, %s, số liệu đến ngày %s: %s\n", r.ID, r.Status.Label("vi"), r.UnitName, r.PeriodLabel, r.AsOf.VN(), *out)
	}
	return nil
}

// runReportList: congdoan report list [--unit CODE] — the reports of a
// unit and the units under it, newest first.
func runReportList(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("report list", flag.ContinueOnError)
	c := addCommon(fs, getenv)
	unit := fs.String("unit", "", "unit code (default: every unit)")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	a, err := c.open(ctx, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	list, err := a.svc.Reports.FindReports(system(ctx), congdoan.ReportFilter{Unit: *unit})
	if err != nil {
		return cliError(err)
	}
	for _, r := range list {
		hash := r.Hash
		if len(hash) > 16 {
			hash = hash[:16]
		}
		fmt.Fprintf(stdout, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.UnitCode, r.Period, r.AsOf.VN(), r.Status, r.Status.Label("vi"), hash)
	}
	return nil
}

// parseWithID parses flags around one positional report number, so that
// both "approve 3 --db x" and "approve --db x 3" work.
func parseWithID(fs *flag.FlagSet, args []string, stderr io.Writer) (int64, error) {
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		return 0, err
	}
	if fs.NArg() == 0 {
		return 0, fmt.Errorf("cần số báo cáo (ví dụ: congdoan %s 3)", fs.Name())
	}
	arg := fs.Arg(0)
	if err := fs.Parse(fs.Args()[1:]); err != nil {
		return 0, err
	}
	if fs.NArg() > 0 {
		return 0, fmt.Errorf("tham số thừa: %s", strings.Join(fs.Args(), " "))
	}
	id, err := strconv.ParseInt(arg, 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("số báo cáo %q không hợp lệ: cần một số nguyên dương", arg)
	}
	return id, nil
}

// cliError shows a domain error's Vietnamese message; other errors keep
// their detail, since the operator at the shell is the one who can act on
// it.
func cliError(err error) error {
	if congdoan.ErrorCode(err) == congdoan.EINTERNAL {
		return err
	}
	return fmt.Errorf("%s", congdoan.ErrorMessage(err))
}

// outputFormat returns "xlsx" or "pdf": format, or else the file's extension.
func outputFormat(format, out string) (string, error) {
	if format == "" {
		format = strings.TrimPrefix(strings.ToLower(fileExt(out)), ".")
	}
	if format != "xlsx" && format != "pdf" {
		return "", fmt.Errorf("định dạng %q không hỗ trợ: dùng xlsx hoặc pdf", format)
	}
	return format, nil
}

// writeReport renders r to the file out.
func writeReport(out, format string, r *report.Report) error {
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	if format == "xlsx" {
		err = report.WriteXLSX(f, r)
	} else {
		err = report.WritePDF(f, r)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

func fileExt(name string) string {
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		return name[i:]
	}
	return ""
}

// runSnapshotsCommand recomputes the monthly member snapshots from the membership
// periods (after a bulk import, or to repair).
func runSnapshotsCommand(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("snapshots", flag.ContinueOnError)
	c := addCommon(fs, getenv)
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	a, err := c.open(ctx, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	start := time.Now()
	if err := a.db.BackfillSnapshots(ctx); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Đã tính lại số liệu đoàn viên đầu các tháng trong %s.\n", time.Since(start).Round(time.Millisecond))
	return nil
}

const placeUsage = "place written in the date line (default: the province of the unit's address on the report's date)"

// reportPlace is the place of a report's date line: the one given, else
// the province of the unit's address on the report's date — "Bắc Kạn"
// for a Bắc Kạn unit's report dated before 1/7/2025, "Thái Nguyên" from
// then on — as the web's download writes it; "" when the unit has no
// address.
func reportPlace(ctx context.Context, a *app, rep *congdoan.Report, given string) string {
	if given != "" {
		return given
	}
	u, err := a.svc.Units.FindUnitByCode(system(ctx), rep.UnitCode)
	if err != nil || u.CommuneCode == "" {
		return ""
	}
	atlas, err := geo.Load()
	if err != nil {
		return ""
	}
	if p, ok := atlas.ProvinceOn(u.CommuneCode, rep.AsOf.Time()); ok {
		return p.Name
	}
	return ""
}
