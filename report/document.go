package report

import (
	"fmt"
	"strings"

	"congdoan"
)

// FromReport turns a computed or stored report into what the renderers
// (WriteXLSX, WritePDF) print, from its values alone: a
// stored report prints the figures it was approved with, whatever the
// registry says today. An approved report carries its approval and hash in
// the footer. place is written in the date line ("Thái Nguyên, ngày …").
//
// It lives here rather than in a front end so that the command line and
// the web interface print the same document for the same report.
func FromReport(in *congdoan.Report, place string) *Report {
	r := &Report{
		Title:       "BÁO CÁO KẾT QUẢ THỰC HIỆN KẾ HOẠCH SỐ 61-KH/TU",
		Subtitle:    "Thực hiện Nghị quyết số 02-NQ/TW ngày 12/6/2021 của Bộ Chính trị về đổi mới tổ chức và hoạt động của Công đoàn Việt Nam trong tình hình mới",
		Issuer:      strings.ToUpper(in.UnitName),
		UnitCode:    in.UnitCode,
		UnitName:    in.UnitName,
		Period:      in.PeriodLabel,
		AsOf:        in.AsOf.Time(),
		GeneratedAt: in.ComputedAt.In(congdoan.VietnamTime),
		Place:       place,
	}
	for _, v := range in.Figures {
		def, ok := congdoan.LookupIndicator(v.Indicator)
		if !ok {
			continue // an indicator retired since the report was stored
		}
		row := Row{Code: string(def.Code), Name: def.Name, UnitLabel: def.UnitLabel, IsPercent: def.Percent, Value: v.Value,
			Numerator: v.Numerator, Denominator: v.Denominator}
		if def.Period {
			row.Name += " (" + in.PeriodLabel + ")"
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
				r.Notes = append(r.Notes, "Chỉ tiêu kế thừa từ kế hoạch của "+t.Inherited+" (đơn vị đã hợp nhất vào "+in.UnitName+").")
			}
		}
		if v.Status != "" {
			// A target whose year is over is judged and has no forecast;
			// a share of nothing has no status but "no data".
			row.Status, row.StatusLabel = string(v.Status), v.Status.Label("vi")
		}
		if f := v.Forecast; f != nil {
			if f.StatusLabel != "" {
				row.StatusLabel = f.StatusLabel // as printed when the report was frozen
			}
			row.Forecast = fmt.Sprintf("Dự báo 31/12/%d (xu hướng %d tháng): %s (%s–%s)", f.AtYear, f.Months, def.Format(f.Value), def.Format(f.Low), def.Format(f.High))
			if f.Status == congdoan.ForecastMet && !f.ProjectedMeets {
				// Met today, below the target on the trend: both, each named.
				row.Forecast = fmt.Sprintf("Đạt chỉ tiêu tại ngày %s; nhưng theo xu hướng %d tháng, dự báo 31/12/%d chỉ còn %s (%s–%s), dưới chỉ tiêu", in.AsOf.VN(), f.Months, f.AtYear,
					def.Format(f.Value), def.Format(f.Low), def.Format(f.High))
			}
			if f.Status != congdoan.ForecastMet && f.NeededPerMonth > 0 {
				row.NeededPace = "Cần tăng " + def.Format(f.NeededPerMonth) + "/tháng"
			}
		}
		r.Rows = append(r.Rows, row)
	}
	for _, code := range congdoan.StateIndicators {
		def, _ := congdoan.LookupIndicator(code)
		r.Columns = append(r.Columns, Column{Code: string(def.Code), Name: def.Name, UnitLabel: def.UnitLabel, IsPercent: def.Percent})
	}
	for _, k := range in.Children {
		row := ChildRow{Code: k.Code, Name: k.Name}
		for _, col := range r.Columns {
			cell := Cell{IsPercent: col.IsPercent, Missing: true}
			for _, v := range k.Figures {
				if string(v.Indicator) == col.Code {
					cell = Cell{Value: v.Value, Numerator: v.Numerator, Denominator: v.Denominator, IsPercent: col.IsPercent}
				}
			}
			row.Cells = append(row.Cells, cell)
		}
		r.Children = append(r.Children, row)
	}
	r.Notes = append(r.Notes,
		"Số liệu tính từ cơ sở dữ liệu đoàn viên, công đoàn cơ sở, đơn vị sử dụng lao động và thỏa ước lao động tập thể, theo cơ cấu tổ chức tại ngày "+in.AsOf.VN()+".",
		fmt.Sprintf("Dự báo: đường xu hướng bình phương tối thiểu của số liệu đầu các tháng trong %d tháng gần nhất (ít hơn khi chưa đủ số liệu), khoảng tin cậy 90 %%; chỉ tiêu của năm đã qua được đánh giá đạt hoặc không đạt, không dự báo.", congdoan.TrendMonths))
	if in.Status == congdoan.ReportApproved {
		r.Frozen = &Frozen{ID: in.ID, ApprovedBy: in.ApprovedBy, ApprovedAt: in.ApprovedAt.In(congdoan.VietnamTime), Hash: in.Hash}
	}
	return r
}

// FileName is "bao-cao-UNIT-PERIOD", the name a report's download carries:
// unit and period codes are ASCII letters, digits and dashes, and anything
// else becomes a dash, so the name needs no quoting in a header.
func FileName(in *congdoan.Report) string {
	name := "bao-cao-" + in.UnitCode + "-" + in.Period
	return strings.Map(func(c rune) rune {
		if c < 0x80 && (c == '-' || c == '_' || c == '.' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return c
		}
		return '-'
	}, name)
}
