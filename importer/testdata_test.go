package importer

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"congdoan/vntext/legacy"
)

var update = flag.Bool("update", false, "rewrite the generated files under testdata/")

// memberRows are the people of the messy member files: the title, a blank
// row, the header, data (one 11-digit CCCD, one bad date, a birth year
// alone), a blank row and a total row.
var memberHeader = []string{"STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Dân tộc", "Nghề nghiệp", "Quê quán"}
var memberRows = [][]string{
	{"1", "Nguyễn Văn Đức", "05/03/1990", "Nam", "006090012345", "Tày", "Công nhân", "Bắc Kạn"},
	{"2", "Hoàng Thị Thuý Hằng", "12/11/1985", "Nữ", "006185000123", "Kinh", "Kế toán", "Chợ Mới"},
	{"3", "Phạm Quốc Việt", "31/02/1992", "Nam", "006092000777", "Nùng", "Lái xe", "Ba Bể"},
	{"4", "Đặng Thị Mỹ Lệ", "1988", "Nữ", "006188004567", "Dao", "Giáo viên", "Ngân Sơn"},
}

// legacyCSV writes the member rows in enc, with sep between fields.
func legacyCSV(t *testing.T, enc legacy.Encoding, sep string) []byte {
	var b bytes.Buffer
	line := func(cells []string) {
		s, err := legacy.Encode(strings.Join(cells, sep), enc)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(s)
		b.WriteString("\r\n")
	}
	line([]string{"DANH SÁCH ĐOÀN VIÊN CÔNG ĐOÀN CƠ SỞ"})
	line(nil)
	line(memberHeader)
	for _, r := range memberRows {
		line(r)
	}
	line(nil)
	line([]string{"", "Tổng cộng: 4 đoàn viên"})
	return b.Bytes()
}

// mixedXLSX builds a workbook as offices make them: a merged title, extra
// columns, dates as real dates (serials), as text and as words, an
// 11-digit CCCD stored as a number, a birth year, a blank and a total row
// with a formula.
func mixedXLSX(t *testing.T) []byte {
	f := excelize.NewFile()
	defer f.Close()
	sh := "Danh sách"
	f.SetSheetName("Sheet1", sh)
	f.NewSheet("Ghi chú")
	f.SetCellStr(sh, "A1", "DANH SÁCH ĐOÀN VIÊN")
	f.MergeCell(sh, "A1", "I1")
	f.SetSheetRow(sh, "A3", &[]any{"TT", "Họ tên đoàn viên", "Ngày, tháng, năm sinh", "Nam/Nữ", "CCCD/CMND", "Dân tộc", "Số điện thoại", "Ngày kết nạp", "Ghi chú thêm"})
	dateStyle, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	f.SetSheetRow(sh, "A4", &[]any{1, "Nguyễn Văn Đức", nil, "nam", "006090012345", "Tày", "0912 345 678", "ngày 1 tháng 5 năm 2015", "x"})
	f.SetCellValue(sh, "C4", 32937) // 05/03/1990 as Excel stores a date
	f.SetCellStyle(sh, "C4", "C4", dateStyle)
	f.SetSheetRow(sh, "A5", &[]any{2, "Hoàng Thị Thuý Hằng", "1985-11-12", "Nữ", 19185000123, "Kinh", "", "2010-03-08", ""})
	f.SetSheetRow(sh, "A6", &[]any{3, "Phạm  Quốc Việt", "5/3/92", "M", "006092000777", "Nùng", "", "", ""})
	f.SetSheetRow(sh, "A7", &[]any{4, "Lý Văn", "ngày 30 tháng 2 năm 1990", "?", "12345", "", "", "", ""})
	// row 8 blank
	f.SetCellStr(sh, "A9", "Cộng")
	f.SetCellFormula(sh, "B9", "COUNTA(B4:B7)")
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func employersCSV() []byte {
	return []byte("\xEF\xBB\xBFMST;Tên doanh nghiệp;Loại hình;Số lao động;Lao động nữ;Mã công đoàn cấp trên;Người đại diện\r\n" +
		"4700123456;Công ty TNHH May Bắc Kạn;Ngoài nhà nước;1.234;800;CDX-001;Nguyễn An\r\n" +
		"4700654321;Công ty cổ phần Khoáng sản;DNNN;250;40;CDX-001;\r\n" +
		"47001;Hợp tác xã Nông nghiệp;HTX;12;20;CDX-001;\r\n" +
		"4700999999;Trường Mầm non Hoa Sen;Sự nghiệp;1,5;;;\r\n" +
		";;;;;;\r\n" +
		"Tổng cộng;;;1.496;860;;\r\n")
}

// TestGenerateTestdata rewrites the generated files with -update; without
// it, checks they are what the code above makes.
func TestGenerateTestdata(t *testing.T) {
	files := map[string][]byte{
		"members_tcvn3.csv":  legacyCSV(t, legacy.TCVN3, ";"),
		"members_vni.csv":    legacyCSV(t, legacy.VNI, ","),
		"members_viscii.csv": legacyCSV(t, legacy.VISCII, "\t"),
		"employers.csv":      employersCSV(),
	}
	for name, b := range files {
		p := filepath.Join("testdata", name)
		if *update {
			if err := os.WriteFile(p, b, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(p)
		if err != nil || !bytes.Equal(got, b) {
			t.Errorf("%s is not what the generator writes: go test ./importer -run TestGenerateTestdata -update", p)
		}
	}
	// The workbook's zip carries timestamps: written on -update only.
	if p := filepath.Join("testdata", "members_mixed.xlsx"); *update {
		if err := os.WriteFile(p, mixedXLSX(t), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
