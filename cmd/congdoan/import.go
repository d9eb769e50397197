package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/xuri/excelize/v2"

	"congdoan"
	"congdoan/importer"
	"congdoan/vntext"
)

// runImport is `congdoan import members FILE [--unit CODE] [--sheet NAME]
// [--dry-run] [--partial] [--as USER] [--birth-year-alone jan1]`: the file
// is read (xlsx or csv, legacy encodings told apart per column), every row
// checked by the same validation the forms use, and the rows written in
// one transaction — all or nothing, or with --partial the good ones, the
// others written to FILE-loi.xlsx with a reason column. A dry run says what
// would be created, updated, unchanged or refused and writes nothing. The
// exit status is 1 when a row was refused.
func runImport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var kind importer.Kind
	if len(args) > 0 {
		kind, _ = importer.ImportKind(args[0])
	}
	if kind == "" {
		return fmt.Errorf("cần loại dữ liệu: import members|employers TỆP")
	}
	fs := flag.NewFlagSet("import "+args[0], flag.ContinueOnError)
	c := addCommon(fs, getenv)
	unit := fs.String("unit", "", "mã đơn vị cho các dòng không ghi mã (đoàn viên: công đoàn cơ sở; đơn vị SDLĐ: công đoàn cấp trên quản lý)")
	sheet := fs.String("sheet", "", "tên trang tính (mặc định: trang đầu tiên)")
	dry := fs.Bool("dry-run", false, "chỉ kiểm tra và báo cáo, không ghi gì")
	partial := fs.Bool("partial", false, "ghi các dòng hợp lệ, ghi các dòng lỗi ra tệp …-loi.xlsx")
	as := fs.String("as", "", "tên đăng nhập của người nhập (phạm vi và nhật ký theo người này); mặc định: hệ thống")
	birthYear := fs.String("birth-year-alone", "", "jan1: dòng chỉ có năm sinh lấy ngày 01/01 (có cảnh báo); mặc định: báo lỗi")
	// The file may come before or after the flags.
	var file string
	rest := args[1:]
	if len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		file, rest = rest[0], rest[1:]
	}
	if err := parseFlags(fs, rest, stderr); err != nil {
		return err
	}
	if file == "" && fs.NArg() > 0 {
		file = fs.Arg(0)
	}
	if file == "" {
		return fmt.Errorf("cần tệp: congdoan import %s TỆP.xlsx|TỆP.csv", args[0])
	}
	a, err := c.open(ctx, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	actx := system(ctx)
	if *as != "" {
		users, err := a.db.FindUsers(actx, congdoan.UserFilter{})
		if err != nil {
			return err
		}
		var u *congdoan.User
		for _, x := range users {
			if x.Username == strings.ToLower(*as) {
				u = x
			}
		}
		if u == nil || u.Disabled {
			return fmt.Errorf("không có tài khoản đang hoạt động tên %q (--as)", *as)
		}
		actx = congdoan.NewContextWithUser(ctx, u)
	}

	rd, err := importer.OpenFile(file, importer.Options{Sheet: *sheet})
	if err != nil {
		return err
	}
	defer rd.Close()
	conv := importer.Converter{Mapping: importer.Mapping{Kind: kind}, Today: a.db.Today(), UnitCode: *unit}
	if *birthYear == "jan1" {
		conv.BirthYear = importer.BirthYearJan1
	}
	col, err := importer.Collect(rd, conv, *partial)
	if err != nil {
		return err
	}
	// With a row refused while reading and no --partial, the store writes
	// nothing but still checks the other rows, so that every error of the
	// file is reported at once.
	res, err := col.Import(actx, a.svc.Imports, congdoan.ImportOptions{File: filepath.Base(file), DryRun: *dry, Partial: *partial})
	if err != nil {
		return cliError(err)
	}
	for _, n := range col.Summary.Notes {
		fmt.Fprintln(stdout, "Ghi chú: "+n)
	}
	for _, w := range col.Warnings {
		fmt.Fprintln(stdout, "Cảnh báo: "+w)
	}
	for _, e := range res.Errors {
		where := fmt.Sprintf("Dòng %d", e.Row)
		if e.Column != "" {
			where += ", " + e.Column
		}
		fmt.Fprintf(stdout, "Lỗi: %s: %s\n", where, e.Message)
	}
	counts := fmt.Sprintf("%s dòng: %s thêm mới, %s cập nhật, %s không đổi, %s lỗi", vntext.FormatInt(int64(res.Rows)), vntext.FormatInt(int64(res.Created)),
		vntext.FormatInt(int64(res.Updated)), vntext.FormatInt(int64(res.Unchanged)), vntext.FormatInt(int64(congdoan.RefusedRows(res.Errors))))
	switch {
	case *dry:
		fmt.Fprintf(stdout, "Kiểm tra thử (không ghi gì; lần nhập số %d): %s.\n", res.ID, counts)
	case res.Status == congdoan.ImportDryRun || res.Status == congdoan.ImportRefused:
		fmt.Fprintf(stdout, "KHÔNG ghi gì vì có dòng lỗi (lần nhập số %d; nhập tất cả hoặc không gì: sửa các dòng trên, hoặc dùng --partial để ghi các dòng hợp lệ): %s.\n", res.ID, counts)
	default:
		fmt.Fprintf(stdout, "Đã nhập (lần nhập số %d): %s.\n", res.ID, counts)
	}
	if *partial && len(res.Errors) > 0 && !*dry {
		out := strings.TrimSuffix(file, filepath.Ext(file)) + "-loi.xlsx"
		if err := writeErrorWorkbook(out, col.Summary.Mapping.Headers, res.Errors, col.Cells); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Các dòng lỗi và lý do: %s\n", out)
	}
	if len(res.Errors) > 0 {
		return fmt.Errorf("%d dòng lỗi", congdoan.RefusedRows(res.Errors))
	}
	return nil
}

// writeErrorWorkbook writes the refused rows, as read, with a reason
// column: the file to correct and import again.
func writeErrorWorkbook(path string, header []string, errs []congdoan.ImportRowError, rows map[int][]string) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := "Dòng lỗi"
	f.SetSheetName("Sheet1", sheet)
	reasons := map[int][]string{}
	var order []int
	for _, e := range errs {
		if _, ok := reasons[e.Row]; !ok {
			order = append(order, e.Row)
		}
		msg := e.Message
		if e.Column != "" {
			msg = e.Column + ": " + msg
		}
		reasons[e.Row] = append(reasons[e.Row], msg)
	}
	head := append([]any{"Dòng trong tệp gốc"}, toAny(header)...)
	head = append(head, "Lý do")
	if err := f.SetSheetRow(sheet, "A1", &head); err != nil {
		return err
	}
	for i, r := range order {
		line := append([]any{r}, toAny(safeCells(rows[r]))...)
		for len(line) < len(header)+1 {
			line = append(line, "")
		}
		line = append(line, strings.Join(reasons[r], "; "))
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := f.SetSheetRow(sheet, cell, &line); err != nil {
			return err
		}
	}
	return f.SaveAs(path)
}

func safeCells(cells []string) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = importer.SafeCell(c)
	}
	return out
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
