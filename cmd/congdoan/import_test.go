package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"congdoan/store"
	"congdoan/store/storetest"
)

// TestImportMembers runs `congdoan import members` over a messy CSV as a
// district officer, on both engines: one bad row refuses the whole file
// (nothing written); a dry run reports; --partial writes the good rows,
// puts the bad ones in FILE-loi.xlsx with their reasons, and each record
// it writes names the import in its audit event; importing the file again
// changes nothing.
func TestImportMembers(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		dir := t.TempDir()
		file := filepath.Join(dir, "doan-vien.csv")
		csv := "DANH SÁCH ĐOÀN VIÊN\n\n" +
			"STT;Họ và tên;Ngày sinh;Giới tính;Số CCCD;Dân tộc;Mã đơn vị;Quê quán\n" +
			"1;Lò Văn Minh;04/04/1994;Nam;" + storetest.CCCD(false, 1994, 901) + ";Thái;" + storetest.UnitCodeA + ";Chợ Mới\n" +
			"2;Nguyễn Văn An;15/03/1985;Nam;" + storetest.CCCD(false, 1985, 100) + ";;" + storetest.UnitCodeA + ";\n" +
			"3;Hà Thị Lụa;31/02/1990;Nữ;" + storetest.CCCD(true, 1990, 902) + ";Tày;" + storetest.UnitCodeB + ";\n" +
			"4;Triệu Văn Đức;15/03/1979;Nam;" + storetest.CCCD(false, 1979, 105) + ";;" + storetest.UnitCodeB + ";\n" +
			";Tổng cộng: 4;;;;;;\n"
		if err := os.WriteFile(file, []byte(csv), 0o644); err != nil {
			t.Fatal(err)
		}
		e := map[string]string{"CONGDOAN_DB": storetest.DSN(t, db), "CONGDOAN_AUDIT_KEY_FILE": filepath.Join(dir, "audit.key")}
		cli := func(args ...string) (string, error) {
			var out, errOut bytes.Buffer
			err := run(context.Background(), append([]string{"import", "members", file, "--as", storetest.District}, args...), env(e), strings.NewReader(""), &out, &errOut)
			return out.String() + errOut.String(), err
		}
		persons := func() int {
			var n int
			if err := storetest.Raw(t, db).QueryRow(`SELECT COUNT(*) FROM persons`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		before := persons()
		out, err := cli()
		if err == nil || persons() != before {
			t.Fatalf("a file with bad rows: %v, %d → %d persons\n%s", err, before, persons(), out)
		}
		for _, want := range []string{
			"Lỗi: Dòng 6, cột C (Ngày sinh):", // the 31/02
			"Lỗi: Dòng 7, cột E (Số CCCD): Người có số CCCD", "đang sinh hoạt tại Công đoàn Công ty Cổ phần Chè Na Rì",
			"KHÔNG ghi gì", "4 dòng: 1 thêm mới, 0 cập nhật, 1 không đổi, 2 lỗi",
			"Ghi chú: Dòng 8: Dòng tổng",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		}
		if out, err := cli("--dry-run"); err == nil || !strings.Contains(out, "Kiểm tra thử (không ghi gì; lần nhập số 2): 4 dòng: 1 thêm mới") || persons() != before {
			t.Errorf("dry run: %v\n%s", err, out)
		}
		out, err = cli("--partial")
		if err == nil || !strings.Contains(out, "Đã nhập (lần nhập số 3): 4 dòng: 1 thêm mới, 0 cập nhật, 1 không đổi, 2 lỗi") || persons() != before+1 {
			t.Fatalf("partial: %v, %d persons\n%s", err, persons(), out)
		}
		wb, err := excelize.OpenFile(filepath.Join(dir, "doan-vien-loi.xlsx"))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := wb.GetRows("Dòng lỗi")
		wb.Close()
		if err != nil || len(rows) != 3 || rows[1][0] != "6" || rows[2][2] != "Triệu Văn Đức" || !strings.Contains(rows[2][len(rows[2])-1], "đang sinh hoạt tại") {
			t.Errorf("error workbook: %v %q", err, rows)
		}
		var audit string
		if err := storetest.Raw(t, db).QueryRow(`SELECT after_json FROM audit_events WHERE action = 'member.create' ORDER BY id DESC LIMIT 1`).Scan(&audit); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(audit, `"import":"3"`) || !strings.Contains(audit, "Lò Văn Minh") {
			t.Errorf("the admission does not name the import: %s", audit)
		}
		// Again: the good rows are there as they are.
		out, _ = cli("--partial")
		if !strings.Contains(out, "0 thêm mới, 0 cập nhật, 2 không đổi, 2 lỗi") || persons() != before+1 {
			t.Errorf("the same file again: %d persons\n%s", persons(), out)
		}
		if m, err := db.FindMemberByID(f.Ctx(storetest.Admin), f.MemberIDs["Nguyễn Văn An"]); err != nil || m.FullName != "Nguyễn Văn An" || m.UnitCode != storetest.UnitCodeA {
			t.Errorf("An after the imports: %+v %v", m, err)
		}
		if err := db.CheckDerived(f.Ctx(storetest.Admin)); err != nil {
			t.Error(err)
		}
	})
}

// TestImportEmployers: employers are matched on their tax code — the one
// on file is updated where the row differs, unchanged where it does not,
// refused when it is outside the importer's scope — and new ones created;
// importing the file again changes nothing.
func TestImportEmployers(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		storetest.Seed(t, db)
		dir := t.TempDir()
		file := filepath.Join(dir, "dn.csv")
		csv := "MST;Tên doanh nghiệp;Loại hình;Số lao động;Lao động nữ;Mã công đoàn cấp trên\n" +
			"4700123456;Công ty TNHH Khoáng sản Bắc Kạn;Ngoài nhà nước;130;30;" + storetest.District58 + "\n" + // on file with 120: updated
			"4700234567;Trường THPT Chuyên Bắc Kạn;Sự nghiệp;60;40;" + storetest.District58 + "\n" + // as on file
			"4700345678;Công ty Cổ phần Chè Na Rì;Ngoài nhà nước;45;25;" + storetest.District58 + "\n" + // LDLD-BK-066's: outside
			"4700777777;Công ty TNHH Gạch Xuất Hóa;Ngoài nhà nước;1.234;200;" + storetest.District58 + "\n" + // new
			"Tổng cộng;;;1.469;295;\n"
		if err := os.WriteFile(file, []byte(csv), 0o644); err != nil {
			t.Fatal(err)
		}
		e := map[string]string{"CONGDOAN_DB": storetest.DSN(t, db), "CONGDOAN_AUDIT_KEY_FILE": filepath.Join(dir, "audit.key")}
		cli := func(args ...string) (string, error) {
			var out, errOut bytes.Buffer
			err := run(context.Background(), append([]string{"import", "employers", file, "--as", storetest.District}, args...), env(e), strings.NewReader(""), &out, &errOut)
			return out.String() + errOut.String(), err
		}
		out, err := cli("--partial")
		if err == nil || !strings.Contains(out, "4 dòng: 1 thêm mới, 1 cập nhật, 1 không đổi, 1 lỗi") || !strings.Contains(out, "ngoài phạm vi của bạn") {
			t.Fatalf("first import: %v\n%s", err, out)
		}
		var workers int
		if err := storetest.Raw(t, db).QueryRow(`SELECT workers_total FROM employers WHERE tax_code = '4700123456'`).Scan(&workers); err != nil || workers != 130 {
			t.Errorf("updated headcount %d (%v), want 130", workers, err)
		}
		if err := storetest.Raw(t, db).QueryRow(`SELECT workers_total FROM employers WHERE tax_code = '4700777777'`).Scan(&workers); err != nil || workers != 1234 {
			t.Errorf("new employer's headcount %d (%v), want 1234", workers, err)
		}
		out, _ = cli("--partial")
		if !strings.Contains(out, "4 dòng: 0 thêm mới, 0 cập nhật, 3 không đổi, 1 lỗi") {
			t.Errorf("the same file again:\n%s", out)
		}
	})
}
