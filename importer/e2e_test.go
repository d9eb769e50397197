package importer

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"congdoan"
	"congdoan/vntext/legacy"
)

// scanFile reads a testdata file end to end.
func scanFile(t *testing.T, name string, conv Converter, opt Options) (Summary, []Result, *Reader) {
	t.Helper()
	rd, err := OpenFile(filepath.Join("testdata", name), opt)
	if err != nil {
		t.Fatalf("OpenFile(%s): %v", name, err)
	}
	defer rd.Close()
	var out []Result
	sum, err := Scan(rd, conv, func(r Result) error { out = append(out, r); return nil })
	if err != nil {
		t.Fatalf("Scan(%s): %v", name, err)
	}
	return sum, out, rd
}

func errorsOf(rs []Result) []string {
	var out []string
	for _, r := range rs {
		for _, e := range r.Errors {
			out = append(out, e.String())
		}
	}
	return out
}

func TestLegacyCSVEndToEnd(t *testing.T) {
	for _, tc := range []struct {
		file string
		enc  legacy.Encoding
	}{{"members_tcvn3.csv", legacy.TCVN3}, {"members_vni.csv", legacy.VNI}, {"members_viscii.csv", legacy.VISCII}} {
		t.Run(tc.file, func(t *testing.T) {
			conv := Converter{Mapping: Mapping{Kind: Members}, Today: today, UnitCode: "CDCS-06-0001", BirthYear: BirthYearJan1}
			sum, rs, rd := scanFile(t, tc.file, conv, Options{})
			if rd.Encodings[1].Encoding != tc.enc {
				t.Errorf("column B detected as %v, want %v", rd.Encodings[1].Encoding, tc.enc)
			}
			if sum.HeaderRow != 3 {
				t.Errorf("header row %d, want 3", sum.HeaderRow)
			}
			notes := strings.Join(sum.Notes, "\n")
			for _, want := range []string{"Cột B được gõ bằng bảng mã " + tc.enc.String(), "Dòng 8: Dòng trống", "Dòng 9: Dòng tổng", "cột A (STT)", "cột H (Quê quán)"} {
				if !strings.Contains(notes, want) {
					t.Errorf("notes lack %q:\n%s", want, notes)
				}
			}
			var names []string
			for _, r := range rs {
				if r.Member != nil {
					names = append(names, r.Member.FullName+"/"+r.Member.Ethnicity)
				}
			}
			if got := strings.Join(names, ", "); got != "Nguyễn Văn Đức/Tày, Hoàng Thị Thuý Hằng/Kinh, Đặng Thị Mỹ Lệ/Dao" {
				t.Errorf("members %s", got)
			}
			errs := strings.Join(errorsOf(rs), "\n")
			for _, want := range []string{
				"Dòng 6, cột C (Ngày sinh): Ngày \"31/02/1992\" không có thật",
				"Dòng 7, cột C (Ngày sinh): Chỉ có năm sinh 1988: ghi ngày sinh là 01/01/1988.",
			} {
				if !strings.Contains(errs, want) {
					t.Errorf("errors lack %q:\n%s", want, errs)
				}
			}
			if sum.Rows != 6 || sum.Skipped != 2 || sum.Refused != 1 {
				t.Errorf("summary %+v", sum)
			}
		})
	}
}

func TestXLSXEndToEnd(t *testing.T) {
	conv := Converter{Mapping: Mapping{Kind: Members}, Today: today, UnitCode: "CDCS-06-0001"}
	sum, rs, rd := scanFile(t, "members_mixed.xlsx", conv, Options{})
	if rd.Sheet != "Danh sách" || len(rd.Sheets) != 2 {
		t.Errorf("sheet %q of %v", rd.Sheet, rd.Sheets)
	}
	notes := strings.Join(sum.Notes, "\n")
	for _, want := range []string{"1 vùng ô gộp (A1:I1)", "cột A (TT)", "cột I (Ghi chú thêm)", "Dòng 8: Dòng trống", "Dòng 9: Dòng tổng (“Cộng”)"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
	byRow := map[int]Result{}
	for _, r := range rs {
		byRow[r.Row] = r
	}
	m := byRow[4].Member
	if m == nil || m.BirthDate != congdoan.NewDate(1990, 3, 5) || m.Gender != "M" || m.Phone != "0912345678" || m.JoinedOn != congdoan.NewDate(2015, 5, 1) {
		t.Errorf("row 4: %+v %v", m, byRow[4].Errors)
	}
	r5 := byRow[5]
	if r5.Member == nil || r5.Member.CCCD != "019185000123" || r5.Member.BirthDate != congdoan.NewDate(1985, 11, 12) {
		t.Errorf("row 5: %+v", r5.Member)
	}
	if len(r5.Errors) != 1 || !r5.Errors[0].Warning || r5.Errors[0].Column != "E" || !strings.Contains(r5.Errors[0].Message, "11 chữ số") {
		t.Errorf("row 5 errors: %v", r5.Errors)
	}
	if m := byRow[6].Member; m == nil || m.FullName != "Phạm Quốc Việt" || m.BirthDate != congdoan.NewDate(1992, 3, 5) || !byRow[6].OK() {
		t.Errorf("row 6: %+v %v", m, byRow[6].Errors)
	}
	errs := strings.Join(errorsOf([]Result{byRow[7]}), "\n")
	for _, want := range []string{"Dòng 7, cột C (Ngày, tháng, năm sinh): Ngày", "Dòng 7, cột D (Nam/Nữ): Giới tính \"?\" không rõ"} {
		if !strings.Contains(errs, want) {
			t.Errorf("row 7 errors lack %q:\n%s", want, errs)
		}
	}
	if sum.Refused != 1 || sum.Skipped != 2 {
		t.Errorf("summary %+v", sum)
	}
	// Validate's own messages come back on their columns.
	conv2 := Converter{Mapping: MatchHeaders(Members, []string{"Họ tên", "Ngày sinh", "Giới tính", "CCCD"}), Today: today}
	res := conv2.Convert(Row{Num: 12, Cells: []string{"An", "05/03/1990", "Nữ", "006090012345"}})
	got := strings.Join(errorsOf([]Result{res}), "\n")
	for _, want := range []string{"Dòng 12, cột A (Họ tên): Họ và tên cần có ít nhất họ và tên", "Dòng 12, cột D (CCCD):", "Dòng 12 (Mã đơn vị): Cần chọn công đoàn cơ sở kết nạp. Thêm cột “Mã đơn vị” hoặc chọn đơn vị khi nhập."} {
		if !strings.Contains(got, want) {
			t.Errorf("validation errors lack %q:\n%s", want, got)
		}
	}
}

func TestEmployersEndToEnd(t *testing.T) {
	conv := Converter{Mapping: Mapping{Kind: Employers}, Today: today}
	sum, rs, _ := scanFile(t, "employers.csv", conv, Options{})
	if !strings.Contains(strings.Join(sum.Notes, "\n"), "dấu phân cách “;”") {
		t.Errorf("notes %v", sum.Notes)
	}
	e := rs[0].Employer
	if e == nil || e.TaxCode != "4700123456" || e.Sector != congdoan.SectorNonState || e.WorkersTotal != 1234 || e.WorkersFemale != 800 || !rs[0].OK() {
		t.Errorf("row 2: %+v %v", e, rs[0].Errors)
	}
	if rs[1].Employer == nil || rs[1].Employer.Sector != congdoan.SectorState {
		t.Errorf("row 3: %+v", rs[1].Employer)
	}
	errs := strings.Join(errorsOf(rs), "\n")
	for _, want := range []string{"Dòng 4, cột A (MST):", "Dòng 4, cột E (Lao động nữ): Số lao động nữ phải từ 0 đến tổng số lao động.", "Dòng 5, cột D (Số lao động): \"1,5\" không phải số nguyên"} {
		if !strings.Contains(errs, want) {
			t.Errorf("errors lack %q:\n%s", want, errs)
		}
	}
	if sum.Skipped != 2 {
		t.Errorf("skipped %d", sum.Skipped)
	}
}

func TestBadFiles(t *testing.T) {
	open := func(name string, b []byte, opt Options) error {
		rd, err := Open(name, bytes.NewReader(b), int64(len(b)), opt)
		if err == nil {
			rd.Close()
		}
		return err
	}
	wantMsg := func(what string, err error, want string) {
		t.Helper()
		var fe *FileError
		if !errors.As(err, &fe) || !strings.Contains(fe.Message, want) {
			t.Errorf("%s: %v, want a FileError with %q", what, err, want)
		}
	}
	wantMsg("png", open("a.png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00"), Options{}), "không phải bảng tính")
	wantMsg("ole2", open("a.xlsx", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 512)...), Options{}), "đặt mật khẩu hoặc là tệp Excel 97–2003")
	wantMsg("corrupt", open("a.xlsx", []byte("PK\x03\x04 this is not a zip"), Options{}), "không phải bảng tính Excel (.xlsx) đọc được")
	wantMsg("empty", open("a.csv", nil, Options{}), "trống")
	wantMsg("size", open("a.csv", bytes.Repeat([]byte("a,b\n"), 1000), Options{MaxSize: 1000}), "vượt giới hạn")
	xlsx := mixedXLSX(t)
	wantMsg("sheet", open("a.xlsx", xlsx, Options{Sheet: "Trang 2"}), "Không có trang tính “Trang 2”. Tệp có các trang: “Danh sách”, “Ghi chú”.")
	if err := open("a.xlsx", xlsx, Options{Sheet: "ghi chu"}); err != nil {
		t.Errorf("sheet by folded name: %v", err)
	}
	// A zip bomb: a small zip whose sheet inflates past the limit.
	var zb bytes.Buffer
	zw := zip.NewWriter(&zb)
	for _, name := range []string{"[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml"} {
		w, _ := zw.Create(name)
		if strings.HasSuffix(name, "sheet1.xml") {
			w.Write(bytes.Repeat([]byte("<row/>"), 5<<20))
		} else {
			w.Write([]byte("<x/>"))
		}
	}
	zw.Close()
	if zb.Len() > 1<<20 {
		t.Fatalf("bomb is %d bytes", zb.Len())
	}
	wantMsg("zip bomb", open("bomb.xlsx", zb.Bytes(), Options{MaxUnzipSize: 10 << 20}), "zip bomb")
	// Missing required columns.
	rd, _ := Open("m.csv", strings.NewReader("Họ và tên,Ngày sinh\nAn,1990\n"), 31, Options{})
	_, err := Scan(rd, Converter{Mapping: Mapping{Kind: Members}, Today: today}, func(Result) error { return nil })
	wantMsg("missing", err, "Thiếu cột bắt buộc: “Số CCCD”, “Giới tính”.")
	rd, _ = Open("m.csv", strings.NewReader("a,b\n1,2\n"), 8, Options{})
	_, err = Scan(rd, Converter{Mapping: Mapping{Kind: Units}, Today: today}, func(Result) error { return nil })
	wantMsg("no header", err, "Không tìm thấy dòng tiêu đề")
}

func TestCSVFormats(t *testing.T) {
	// Tab-separated UTF-16 (Excel's "Unicode text") and an NFD cell.
	text := "Họ và tên\tGiới tính\n" + "Nguye\u0302\u0303n Va\u0306n An\tNam\n"
	var u16 bytes.Buffer
	u16.Write([]byte{0xFF, 0xFE})
	for _, r := range text {
		u16.WriteByte(byte(r))
		u16.WriteByte(byte(r >> 8))
	}
	rd, err := Open("u.txt", bytes.NewReader(u16.Bytes()), int64(u16.Len()), Options{})
	if err != nil {
		t.Fatal(err)
	}
	rd.Next()
	r, _ := rd.Next()
	if r.Num != 2 || r.Cell(0) != "Nguyễn Văn An" || r.Cell(1) != "Nam" {
		t.Errorf("row %d %q", r.Num, r.Cells)
	}
	if !strings.Contains(strings.Join(rd.Notes, " "), "tổ hợp") {
		t.Errorf("notes %v", rd.Notes)
	}
}

// A CSV with one row per call, for the fuzzer.
func FuzzCSVRows(f *testing.F) {
	for _, s := range []string{"Họ và tên;Giới tính\nNguyÔn V¨n §øc;Nam\n", "a,\"b\nc\",d\n", "\xEF\xBB\xBFx\ty\n1\t2", "\xFF\xFEa\x00", "\"unterminated"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		rd, err := Open("f.csv", bytes.NewReader(b), int64(len(b)), Options{SampleRows: 5})
		if err != nil {
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("not a FileError: %v", err)
			}
			return
		}
		defer rd.Close()
		last := 0
		for i := 0; i < 1000; i++ {
			r, ok := rd.Next()
			if !ok {
				break
			}
			if r.Num != last+1 {
				t.Fatalf("row %d after %d", r.Num, last)
			}
			last = r.Num
			conv := Converter{Mapping: MatchHeaders(Members, r.Cells), Today: today}
			res := conv.Convert(r)
			_ = fmt.Sprint(res.Errors)
		}
	})
}
