package vntext

import (
	"errors"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

// checkErr verifies err against a wanted message fragment: "" means no
// error. Errors must be *FieldError with an NFC message.
func checkErr(t *testing.T, err error, wantErr string) {
	t.Helper()
	if wantErr == "" {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return
	}
	if err == nil {
		t.Fatalf("want error containing %q, got nil", wantErr)
	}
	var fe *FieldError
	if !errors.As(err, &fe) {
		t.Fatalf("error %v is %T, want *FieldError", err, err)
	}
	if fe.Error() != fe.Message {
		t.Errorf("Error() = %q, Message = %q", fe.Error(), fe.Message)
	}
	if !norm.NFC.IsNormalString(fe.Message) {
		t.Errorf("message is not NFC: %q", fe.Message)
	}
	if !strings.Contains(fe.Message, wantErr) {
		t.Errorf("error %q does not contain %q", fe.Message, wantErr)
	}
}

func TestProvinceName(t *testing.T) {
	tests := []struct {
		code, want string
		ok         bool
	}{
		{"01", "Hà Nội", true},
		{"06", "Bắc Kạn", true},
		{"79", "Hồ Chí Minh", true},
		{"96", "Cà Mau", true},
		{"03", "", false},
		{"00", "", false},
		{"97", "", false},
		{"6", "", false},
		{"006", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			got, ok := ProvinceName(tt.code)
			if got != tt.want || ok != tt.ok {
				t.Errorf("ProvinceName(%q) = %q, %v; want %q, %v", tt.code, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestProvinceTable(t *testing.T) {
	n := 0
	for i := range 100 {
		code := string([]byte{'0' + byte(i/10), '0' + byte(i%10)})
		name, ok := ProvinceName(code)
		if !ok {
			continue
		}
		n++
		if name == "" || !norm.NFC.IsNormalString(name) || Clean(name) != name {
			t.Errorf("ProvinceName(%q) = %q: want a clean NFC name", code, name)
		}
		if strings.HasPrefix(name, "Tỉnh") || strings.HasPrefix(name, "Thành phố") {
			t.Errorf("ProvinceName(%q) = %q still has its prefix", code, name)
		}
	}
	if n != 63 {
		t.Errorf("found %d provinces, want 63", n)
	}
}

func TestNormalizeDigits(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"plain", "001084000999", "001084000999"},
		{"spaces", " 001 084 000 999 ", "001084000999"},
		{"dots and dashes", "001.084-000–999", "001084000999"},
		{"nbsp", "001\u00a0084", "001084"},
		{"letters kept", "0a1", "0a1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NormalizeDigits(tt.in); got != tt.want {
				t.Errorf("NormalizeDigits(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestIsLegacyCMND(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"095123456", true},
		{"095 123 456", true},
		{"09512345", false},
		{"001084000999", false},
		{"09512345x", false},
		{"", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := IsLegacyCMND(tt.in); got != tt.want {
				t.Errorf("IsLegacyCMND(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseCCCD(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    CCCDInfo
		wantErr string
	}{
		{
			name: "Hà Nội male 1984",
			in:   "001084000999",
			want: CCCDInfo{ProvinceCode: "001", KnownProvince: true, BirthYearMin: 1984, BirthYearMax: 1984, BirthYear: 1984},
		},
		{
			name: "Bắc Kạn female 1990 typed with spaces",
			in:   " 006 190 123456 ",
			want: CCCDInfo{ProvinceCode: "006", KnownProvince: true, Female: true, BirthYearMin: 1990, BirthYearMax: 1990, BirthYear: 1990},
		},
		{
			name: "male 2005",
			in:   "006205123456",
			want: CCCDInfo{ProvinceCode: "006", KnownProvince: true, BirthYearMin: 2005, BirthYearMax: 2005, BirthYear: 2005},
		},
		{
			name: "female 2000",
			in:   "079300123456",
			want: CCCDInfo{ProvinceCode: "079", KnownProvince: true, Female: true, BirthYearMin: 2000, BirthYearMax: 2000, BirthYear: 2000},
		},
		{
			name: "unknown province is not an error",
			in:   "003184000001",
			want: CCCDInfo{ProvinceCode: "003", Female: true, BirthYearMin: 1984, BirthYearMax: 1984, BirthYear: 1984},
		},
		{
			name: "code not starting with 0 is unknown",
			in:   "106084000001",
			want: CCCDInfo{ProvinceCode: "106", BirthYearMin: 1984, BirthYearMax: 1984, BirthYear: 1984},
		},
		{name: "too short", in: "00108400099", wantErr: "Số CCCD phải gồm đúng 12 chữ số (đang có 11)."},
		{name: "too long", in: "0010840009990", wantErr: "(đang có 13)"},
		{name: "legacy CMND", in: "095123456", wantErr: "CMND cũ"},
		{name: "empty", in: "  ", wantErr: "Chưa nhập số CCCD"},
		{name: "letter", in: "00108400099O", wantErr: "có ký tự 'O'"},
		{name: "future century", in: "001484000999", wantErr: "sinh năm 2184"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseCCCD(tt.in)
			checkErr(t, err, tt.wantErr)
			if tt.wantErr == "" && got != tt.want {
				t.Errorf("ParseCCCD(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
}

func TestCCCDInfoProvinceName(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"006190123456", "Bắc Kạn"},
		{"003184000001", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			info, err := ParseCCCD(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if got := info.ProvinceName(); got != tt.want {
				t.Errorf("ProvinceName() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCheckCCCD(t *testing.T) {
	tests := []struct {
		name      string
		cccd      string
		female    bool
		birthYear int
		wantYear  int
		wantErr   string
	}{
		{name: "matches", cccd: "001084000999", birthYear: 1984, wantYear: 1984},
		{name: "unknown year skipped", cccd: "001084000999", birthYear: 0, wantYear: 1984},
		{name: "female 2000s matches", cccd: "006303000001", female: true, birthYear: 2003, wantYear: 2003},
		{
			name: "year mismatch", cccd: "001084000999", birthYear: 1985,
			wantErr: "Số CCCD 001084000999 cho biết người sinh năm 1984, nhưng ngày sinh ghi năm 1985: kiểm tra lại số CCCD hoặc ngày sinh.",
		},
		{
			name: "gender mismatch", cccd: "001084000999", female: true, birthYear: 1984,
			wantErr: "Chữ số thứ 4 của CCCD (0) cho biết giới tính nam, sinh thế kỷ 20, nhưng hồ sơ ghi nữ: kiểm tra lại số CCCD hoặc giới tính.",
		},
		{
			name: "gender mismatch 21st century", cccd: "006303000001", female: false,
			wantErr: "Chữ số thứ 4 của CCCD (3) cho biết giới tính nữ, sinh thế kỷ 21, nhưng hồ sơ ghi nam",
		},
		{
			name: "both reported", cccd: "001 084 000 999", female: true, birthYear: 1985,
			wantErr: "hồ sơ ghi nữ: kiểm tra lại số CCCD hoặc giới tính. Số CCCD 001084000999 cho biết người sinh năm 1984",
		},
		{name: "bad shape", cccd: "123", wantErr: "đang có 3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			info, err := CheckCCCD(tt.cccd, tt.female, tt.birthYear)
			checkErr(t, err, tt.wantErr)
			if tt.wantErr == "" && info.BirthYear != tt.wantYear {
				t.Errorf("BirthYear = %d, want %d", info.BirthYear, tt.wantYear)
			}
		})
	}
}

func TestNormalizeTaxCode(t *testing.T) {
	tests := []struct {
		name, in, want, wantErr string
	}{
		{name: "10 digits", in: "0101234567", want: "0101234567"},
		{name: "spaces", in: " 0101 234 567 ", want: "0101234567"},
		{name: "branch", in: "0101234567-001", want: "0101234567-001"},
		{name: "branch with spaces", in: "0101234567 - 001", want: "0101234567-001"},
		{name: "branch with en dash", in: "0101234567–001", want: "0101234567-001"},
		{name: "13 digits without dash", in: "0101234567001", want: "0101234567-001"},
		{name: "empty", in: "", wantErr: "Chưa nhập mã số thuế"},
		{name: "9 digits", in: "010123456", wantErr: `Mã số thuế không hợp lệ: "010123456". Nhập 10 chữ số (ví dụ 0101234567)`},
		{name: "11 digits", in: "01012345678", wantErr: "không hợp lệ"},
		{name: "short branch", in: "0101234567-01", wantErr: "0101234567-001"},
		{name: "letters", in: "01012345AB", wantErr: "không hợp lệ"},
		{name: "two dashes", in: "0101234567-001-002", wantErr: "không hợp lệ"},
		{name: "trailing dash", in: "0101234567-", wantErr: "không hợp lệ"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NormalizeTaxCode(tt.in)
			checkErr(t, err, tt.wantErr)
			if got != tt.want {
				t.Errorf("NormalizeTaxCode(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestNormalizePhone(t *testing.T) {
	tests := []struct {
		name, in, want, wantErr string
	}{
		{name: "national", in: "0912345678", want: "0912345678"},
		{name: "grouped", in: "0912 345 678", want: "0912345678"},
		{name: "dots", in: "0912.345.678", want: "0912345678"},
		{name: "dashes and parens", in: "(0912) 345-678", want: "0912345678"},
		{name: "plus 84", in: "+84 912345678", want: "0912345678"},
		{name: "plus 84 with 0", in: "+84 (0) 912 345 678", want: "0912345678"},
		{name: "84", in: "84912345678", want: "0912345678"},
		{name: "0084", in: "0084 912 345 678", want: "0912345678"},
		{name: "03 mobile", in: "0362 123 456", want: "0362123456"},
		{name: "05 mobile", in: "0523123456", want: "0523123456"},
		{name: "07 mobile", in: "0771234567", want: "0771234567"},
		{name: "08 mobile", in: "0888123456", want: "0888123456"},
		{name: "landline Bắc Kạn", in: "0209 3870 123", want: "02093870123"},
		{name: "landline intl", in: "+84 209 3870 123", want: "02093870123"},
		{name: "empty", in: " ", wantErr: "Chưa nhập số điện thoại"},
		{name: "too short", in: "091234567", wantErr: `Số điện thoại không hợp lệ: "091234567". Nhập số di động 10 chữ số`},
		{name: "bad prefix 04", in: "0412345678", wantErr: "bắt đầu bằng 03, 05, 07, 08 hoặc 09"},
		{name: "bad prefix 01", in: "0112345678", wantErr: "không hợp lệ"},
		{name: "10-digit 02", in: "0209387012", wantErr: "số cố định 11 chữ số bắt đầu bằng 02"},
		{name: "11-digit mobile", in: "09123456789", wantErr: "không hợp lệ"},
		{name: "letters", in: "09123456ab", wantErr: "không hợp lệ"},
		{name: "no leading zero", in: "912345678", wantErr: "không hợp lệ"},
		{name: "plus other country", in: "+1 2025550123", wantErr: "không hợp lệ"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NormalizePhone(tt.in)
			checkErr(t, err, tt.wantErr)
			if got != tt.want {
				t.Errorf("NormalizePhone(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
