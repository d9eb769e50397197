package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"congdoan"
	"congdoan/indicator"
	"congdoan/report"
	"congdoan/store"
	"congdoan/vntext"
)

// runReport writes the plan report of a unit for a period:
// congdoan report --unit CODE --period 2025|2025-H1|2025-Q3 --format xlsx|pdf -o FILE
func runReport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	c := addCommon(fs, getenv)
	unit := fs.String("unit", "", "unit code")
	period := fs.String("period", "", "2025, 2025-H1, 2025-Q3 …")
	format := fs.String("format", "", "xlsx or pdf (default: from the file name)")
	out := fs.String("o", "", "output file")
	place := fs.String("place", "Thái Nguyên", "place written in the date line")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if *unit == "" || *period == "" || *out == "" {
		return fmt.Errorf("cần --unit, --period và -o (ví dụ: congdoan report --unit LDLD-TN --period 2025 -o baocao.pdf)")
	}
	if *format == "" {
		*format = strings.TrimPrefix(strings.ToLower(fileExt(*out)), ".")
	}
	if *format != "xlsx" && *format != "pdf" {
		return fmt.Errorf("định dạng %q không hỗ trợ: dùng xlsx hoặc pdf", *format)
	}
	p, err := indicator.ParsePeriod(*period)
	if err != nil {
		return fmt.Errorf("%s", congdoan.ErrorMessage(err))
	}
	db, err := c.openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	sys := congdoan.NewContextWithUser(ctx, congdoan.SystemUser())
	r, err := buildReport(sys, db, indicator.New(db), *unit, p, *place)
	if err != nil {
		return fmt.Errorf("%s", congdoan.ErrorMessage(err))
	}
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	if *format == "xlsx" {
		err = report.WriteXLSX(f, r)
	} else {
		err = report.WritePDF(f, r)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Đã ghi báo cáo %s, %s, số liệu đến ngày %s: %s\n", r.UnitName, r.Period, vntext.FormatDate(r.AsOf), *out)
	return nil
}

func fileExt(name string) string {
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		return name[i:]
	}
	return ""
}

// buildReport computes the unit's indicators for the period (as of its last
// day, or today for the current period) against the plan's targets, and
// the same for each child unit.
func buildReport(ctx context.Context, db *store.DB, e *indicator.Engine, unitCode string, p indicator.Period, place string) (*report.Report, error) {
	asOf := p.To
	if today := db.Today(); asOf.After(today) {
		asOf = today
	}
	if p.From.After(asOf) {
		return nil, congdoan.FieldError("period", "Kỳ báo cáo "+p.Label+" chưa bắt đầu.")
	}
	fig, err := e.Overview(ctx, unitCode, asOf, p.From)
	if err != nil {
		return nil, err
	}
	u, err := db.FindUnitByCode(ctx, unitCode)
	if err != nil {
		return nil, err
	}
	r := &report.Report{
		Title:       "BÁO CÁO KẾT QUẢ THỰC HIỆN KẾ HOẠCH SỐ 61-KH/TU",
		Subtitle:    "Thực hiện Nghị quyết số 02-NQ/TW ngày 12/6/2021 của Bộ Chính trị về đổi mới tổ chức và hoạt động của Công đoàn Việt Nam trong tình hình mới",
		Issuer:      strings.ToUpper(u.Name),
		UnitCode:    u.Code,
		UnitName:    u.Name,
		Period:      p.Label,
		AsOf:        asOf.Time(),
		GeneratedAt: db.Now().In(time.FixedZone("ICT", 7*3600)),
		Place:       place,
	}
	for _, def := range indicator.Defs {
		v := fig.Values[def.Code]
		row := report.Row{Code: def.Code, Name: def.Name, UnitLabel: def.UnitLabel, IsPercent: def.Percent, Value: v.Value,
			Numerator: v.NumeratorN, Denominator: v.DenomN}
		if def.Period {
			row.Name += " (" + p.Label + ")"
		}
		if t := v.Target; t != nil {
			row.TargetYear, row.Target, row.Comparator, row.TargetWording, row.Qualitative = t.Year, t.Value, t.Comparator, t.Wording, t.Qualitative
			if t.Value != 0 {
				row.Progress = v.Value * 100 / t.Value
			}
			if t.Reading != "" {
				r.Notes = append(r.Notes, t.Reading)
			}
			if t.Inherited != "" && len(r.Notes) == 0 {
				r.Notes = append(r.Notes, "Chỉ tiêu kế thừa từ kế hoạch của "+t.Inherited+" (đơn vị đã hợp nhất vào "+u.Name+").")
			}
		}
		if f := v.Forecast; f != nil {
			row.Status, row.StatusLabel = f.Status, f.StatusLabel
			row.Forecast = fmt.Sprintf("Dự báo 31/12/%d: %s (%s–%s)", f.AtYear, indicator.FormatValue(def, f.Value), indicator.FormatValue(def, f.Low), indicator.FormatValue(def, f.High))
			if f.Status != "met" && f.NeededPerMonth > 0 {
				row.NeededPace = "Cần tăng " + indicator.FormatValue(def, f.NeededPerMonth) + "/tháng"
			}
		}
		r.Rows = append(r.Rows, row)
	}
	for _, def := range indicator.Defs[:4] {
		r.Columns = append(r.Columns, report.Column{Code: def.Code, Name: def.Name, UnitLabel: def.UnitLabel, IsPercent: def.Percent})
	}
	kids, err := e.ChildFigures(ctx, unitCode, asOf, p.From)
	if err != nil {
		return nil, err
	}
	for _, k := range kids {
		row := report.ChildRow{Code: k.Unit, Name: e.UnitName(ctx, k.Unit, asOf)}
		for _, col := range r.Columns {
			v := k.Values[col.Code]
			row.Cells = append(row.Cells, report.Cell{Value: v.Value, Numerator: v.NumeratorN, Denominator: v.DenomN, IsPercent: col.IsPercent})
		}
		r.Children = append(r.Children, row)
	}
	r.Notes = append(r.Notes,
		"Số liệu tính từ cơ sở dữ liệu đoàn viên, công đoàn cơ sở, đơn vị sử dụng lao động và thỏa ước lao động tập thể, theo cơ cấu tổ chức tại ngày "+asOf.VN()+".",
		"Dự báo: đường xu hướng bình phương tối thiểu của số liệu đầu các tháng trong 24 tháng gần nhất, khoảng tin cậy 90 %.")
	return r, nil
}

// runSnapshots recomputes the monthly member snapshots from the membership
// periods (after a bulk import, or to repair).
func runSnapshots(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("snapshots", flag.ContinueOnError)
	c := addCommon(fs, getenv)
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	db, err := c.openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	if err := indicator.Backfill(ctx, db); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Đã tính lại số liệu đoàn viên đầu các tháng trong %s.\n", time.Since(start).Round(time.Millisecond))
	return nil
}
