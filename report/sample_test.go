package report

import (
	"congdoan"
	"time"
)

// ict is Vietnam's time zone, fixed so that tests do not depend on the
// machine's tzdata.
var ict = congdoan.VietnamTime

// SampleReport is a realistic report on plan 61-KH/TU of (former) Bắc Kạn
// province, issued by the Thái Nguyên federation after the 2025 merger of
// the two provinces: ten indicators (on, off and without target, a
// qualitative target read as a number) and ten commune/ward unions, one
// with a missing figure and one with an undefined rate.
func SampleReport() *Report {
	return &Report{
		Title:       "BÁO CÁO KẾT QUẢ THỰC HIỆN KẾ HOẠCH SỐ 61-KH/TU",
		Subtitle:    "Kế hoạch số 61-KH/TU của Tỉnh ủy Bắc Kạn thực hiện Nghị quyết số 02-NQ/TW ngày 12/6/2021 của Bộ Chính trị về đổi mới tổ chức và hoạt động của Công đoàn Việt Nam trong tình hình mới",
		Issuer:      "LIÊN ĐOÀN LAO ĐỘNG TỈNH THÁI NGUYÊN",
		Place:       "Thái Nguyên",
		UnitCode:    "BK",
		UnitName:    "Khu vực tỉnh Bắc Kạn (cũ)",
		Period:      "9 tháng đầu năm 2025",
		AsOf:        time.Date(2025, 9, 30, 0, 0, 0, 0, ict),
		GeneratedAt: time.Date(2025, 10, 8, 14, 5, 0, 0, ict),
		Rows: []Row{
			{
				Code: "members", Name: "Đoàn viên công đoàn", UnitLabel: "người",
				Value: 22807, TargetYear: 2025, Target: 23000, Comparator: ">=",
				TargetWording: "Đến năm 2025, toàn tỉnh có 23.000 đoàn viên công đoàn",
				Progress:      99.16, Status: "off_track", StatusLabel: "Chậm tiến độ",
				Forecast:   "Dự báo 31/12/2025: 22.912 (22.840–22.985)",
				NeededPace: "Cần thêm 65 đoàn viên/tháng",
			},
			{
				Code: "employers_15plus_with_union_pct", Name: "Tỷ lệ doanh nghiệp, đơn vị sử dụng từ 15 lao động trở lên có tổ chức công đoàn cơ sở", UnitLabel: "%",
				IsPercent: true, Value: 78.596, Numerator: 224, Denominator: 285,
				TargetYear: 2025, Target: 80, Comparator: ">=",
				TargetWording: "Đến năm 2025, cơ bản các doanh nghiệp, đơn vị sử dụng từ 15 lao động trở lên có tổ chức công đoàn",
				Qualitative:   "cơ bản",
				Progress:      98.25, Status: "at_risk", StatusLabel: "Có nguy cơ",
				Forecast:   "Dự báo 31/12/2025: 79,6 % (78,9–80,4 %)",
				NeededPace: "Cần thêm 4 doanh nghiệp có công đoàn/tháng",
			},
			{
				Code: "cba_coverage_pct", Name: "Tỷ lệ công đoàn cơ sở có Thỏa ước lao động tập thể còn hiệu lực", UnitLabel: "%",
				IsPercent: true, Value: 71.429, Numerator: 130, Denominator: 182,
				TargetYear: 2025, Target: 80, Comparator: ">",
				TargetWording: "Đến năm 2025, trên 80% công đoàn cơ sở doanh nghiệp ký kết được Thỏa ước lao động tập thể",
				Progress:      89.29, Status: "off_track", StatusLabel: "Chậm tiến độ",
				Forecast:   "Dự báo 31/12/2025: 73,1 % (71,8–74,5 %)",
				NeededPace: "Cần thêm 6 thỏa ước/tháng",
			},
			{
				Code: "worker_membership_pct", Name: "Tỷ lệ đoàn viên trên tổng số người lao động tại đơn vị có công đoàn", UnitLabel: "%",
				IsPercent: true, Value: 91.301, Numerator: 22807, Denominator: 24980,
				TargetYear: 2025, Target: 90, Comparator: ">=",
				TargetWording: "Tỷ lệ đoàn viên đạt từ 90% trở lên so với tổng số người lao động tại nơi có tổ chức công đoàn",
				Progress:      101.45, Status: "met", StatusLabel: "Đã đạt",
				Forecast: "Dự báo 31/12/2025: 91,5 % (91,0–92,0 %)",
			},
			{
				Code: "members_admitted", Name: "Đoàn viên kết nạp mới trong kỳ", UnitLabel: "người",
				Value: 1126, TargetYear: 2025, Target: 1500, Comparator: ">=",
				TargetWording: "Mỗi năm kết nạp mới ít nhất 1.500 đoàn viên",
				Progress:      75.07, Status: "on_track", StatusLabel: "Đúng tiến độ",
				Forecast:   "Dự báo cả năm 2025: 1.512 (1.430–1.590)",
				NeededPace: "Cần 125 đoàn viên/tháng",
			},
			{
				Code: "members_left", Name: "Đoàn viên giảm trong kỳ (chuyển đi, nghỉ việc, ra khỏi tổ chức)", UnitLabel: "người",
				Value: 642,
			},
			{
				Code: "unions_founded", Name: "Công đoàn cơ sở thành lập mới trong kỳ", UnitLabel: "đơn vị",
				Value: 14, TargetYear: 2025, Target: 15, Comparator: ">=",
				TargetWording: "Mỗi năm thành lập mới ít nhất 15 công đoàn cơ sở",
				Progress:      93.33, Status: "on_track", StatusLabel: "Đúng tiến độ",
				Forecast:   "Dự báo cả năm 2025: 18 (15–21)",
				NeededPace: "Cần thêm 1 công đoàn cơ sở trong quý IV",
			},
			{
				Code: "unions_dissolved", Name: "Công đoàn cơ sở giải thể trong kỳ", UnitLabel: "đơn vị",
				Value: 6,
			},
			{
				Code: "cadres_trained", Name: "Lượt cán bộ công đoàn được tập huấn, bồi dưỡng", UnitLabel: "lượt người",
				Value: 2340, TargetYear: 2025, Target: 2000, Comparator: ">=",
				TargetWording: "Hằng năm tập huấn, bồi dưỡng cho ít nhất 2.000 lượt cán bộ công đoàn",
				Progress:      117, Status: "met", StatusLabel: "Đã đạt",
			},
			{
				Code: "referred_to_party", Name: "Đoàn viên ưu tú giới thiệu cho Đảng xem xét kết nạp", UnitLabel: "người",
				Value: 286, TargetYear: 2025, Target: 400, Comparator: ">=",
				TargetWording: "Mỗi năm giới thiệu ít nhất 400 đoàn viên ưu tú cho Đảng xem xét, kết nạp",
				Progress:      71.5, Status: "at_risk", StatusLabel: "Có nguy cơ",
				Forecast:   "Dự báo cả năm 2025: 381 (352–410)",
				NeededPace: "Cần 38 người/tháng",
			},
		},
		Columns: []Column{
			{Code: "members", Name: "Đoàn viên", UnitLabel: "người"},
			{Code: "members_admitted", Name: "Kết nạp mới", UnitLabel: "người"},
			{Code: "unions_founded", Name: "CĐCS thành lập mới", UnitLabel: "đơn vị"},
			{Code: "worker_membership_pct", Name: "Tỷ lệ đoàn viên/người lao động", UnitLabel: "%", IsPercent: true},
			{Code: "cba_coverage_pct", Name: "Tỷ lệ CĐCS có Thỏa ước", UnitLabel: "%", IsPercent: true},
		},
		Children: []ChildRow{
			child("BK-DX", "Công đoàn phường Đức Xuân", 3412, 168, 3, 3412, 3690, 21, 27),
			child("BK-NTMK", "Công đoàn phường Nguyễn Thị Minh Khai", 2875, 141, 2, 2875, 3105, 18, 24),
			child("BK-SC", "Công đoàn phường Sông Cầu", 2106, 97, 1, 2106, 2290, 14, 19),
			child("BK-CR", "Công đoàn xã Chợ Rã", 1538, 74, 2, 1538, 1702, 9, 13),
			child("BK-PT", "Công đoàn xã Phủ Thông", 1204, 55, 1, 1204, 1311, 7, 11),
			child("BK-BV", "Công đoàn xã Bằng Vân", 486, 21, 0, 486, 540, 0, 0),
			child("BK-NP", "Công đoàn xã Nà Phặc", 732, 38, 1, 732, 806, 4, 6),
			child("BK-CD", "Công đoàn xã Chợ Đồn", 1967, 88, 2, 1967, 2150, 12, 16),
			child("BK-NR", "Công đoàn xã Na Rì", 1120, 52, 1, 1120, 1228, 6, 9),
			{Code: "BK-CM", Name: "Công đoàn xã Chợ Mới", Cells: []Cell{
				{Value: 1385}, {Missing: true}, {Value: 1},
				pct(1385, 1514), pct(8, 12),
			}},
		},
		Notes: []string{
			"Chỉ tiêu “cơ bản các doanh nghiệp, đơn vị sử dụng từ 15 lao động trở lên có tổ chức công đoàn” là chỉ tiêu định tính; Ban Thường vụ Liên đoàn quy ước “cơ bản” là từ 80 % trở lên.",
			"Ngưỡng 15 lao động theo Kế hoạch số 61-KH/TU của Tỉnh ủy Bắc Kạn (Nghị quyết số 02-NQ/TW nêu ngưỡng 25 lao động).",
			"Tỷ lệ công đoàn cơ sở có Thỏa ước lao động tập thể chỉ tính các công đoàn cơ sở tại đơn vị được thương lượng tập thể (không tính cơ quan hành chính nhà nước). Công đoàn xã Bằng Vân chưa có công đoàn cơ sở thuộc diện này nên tỷ lệ không xác định (—).",
			"Dự báo theo xu hướng số liệu chốt hằng tháng từ 01/2024 đến 09/2025; khoảng trong ngoặc là khoảng dự báo 80 %.",
			"Nguồn số liệu: hệ thống quản lý đoàn viên của Liên đoàn, số liệu chốt ngày 30/09/2025. Công đoàn xã Chợ Mới chưa báo cáo số đoàn viên kết nạp mới.",
		},
		Frozen: &Frozen{
			ID:         42,
			ApprovedBy: "Nguyễn Văn Thắng",
			ApprovedAt: time.Date(2025, 10, 10, 16, 30, 0, 0, ict),
			Hash:       "9f2c4e7a1b3d5f608e1a2c3b4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f70",
		},
	}
}

// child builds a by-unit row from counts: members, admitted, founded,
// members÷workers and unions with a CBA÷eligible unions.
func child(code, name string, members, admitted, founded, mem, workers, cba, eligible int64) ChildRow {
	return ChildRow{Code: code, Name: name, Cells: []Cell{
		{Value: float64(members)}, {Value: float64(admitted)}, {Value: float64(founded)},
		pct(mem, workers), pct(cba, eligible),
	}}
}

// pct is a percent cell computed from its counts.
func pct(num, den int64) Cell {
	c := Cell{IsPercent: true, Numerator: num, Denominator: den}
	if den != 0 {
		c.Value = 100 * float64(num) / float64(den)
	}
	return c
}
