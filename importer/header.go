package importer

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"congdoan/vntext"
)

// Kind is what a file lists.
type Kind string

// Kinds of import.
const (
	Members   Kind = "members"
	Employers Kind = "employers"
	Units     Kind = "units"
)

// Label returns the Vietnamese name of what the file lists.
func (k Kind) Label() string {
	switch k {
	case Members:
		return "đoàn viên"
	case Employers:
		return "đơn vị sử dụng lao động"
	case Units:
		return "đơn vị công đoàn"
	}
	return string(k)
}

// Field is the input field a column fills: the same names as the keys of
// the inputs' Validation (full_name, cccd, …), plus birth_year (a year
// alone, filling birth_date), female (a "Nữ" column ticked with x) and
// unit_name (shown for reference, not imported).
type Field string

// fieldDef describes one field of one kind.
type fieldDef struct {
	field    Field
	label    string   // Vietnamese column name used in messages
	required bool     // the column must be there
	aliases  []string // header variants, any case and diacritics
}

var fieldDefs = map[Kind][]fieldDef{
	Members: {
		{"full_name", "Họ và tên", true, []string{"Họ và tên", "Họ tên", "Họ tên đoàn viên", "Họ và tên đoàn viên", "Tên đoàn viên", "Họ và tên người lao động", "Họ tên CNVCLĐ"}},
		{"cccd", "Số CCCD", true, []string{"Số CCCD", "CCCD", "CCCD/CMND", "CMND/CCCD", "Số CCCD/CMND", "Số CMND/CCCD", "Số căn cước", "Số căn cước công dân", "Căn cước công dân", "Số định danh", "Số định danh cá nhân", "CMND", "Số CMND"}},
		{"gender", "Giới tính", false, []string{"Giới tính", "Nam/Nữ", "Nam, Nữ", "Giới"}},
		{"female", "Nữ", false, []string{"Nữ", "Là nữ", "Giới tính nữ"}},
		{"birth_date", "Ngày sinh", false, []string{"Ngày sinh", "Ngày tháng năm sinh", "Ngày, tháng, năm sinh", "Sinh ngày", "Ngày/tháng/năm sinh"}},
		{"birth_year", "Năm sinh", false, []string{"Năm sinh"}},
		{"ethnicity", "Dân tộc", false, []string{"Dân tộc"}},
		{"phone", "Số điện thoại", false, []string{"Số điện thoại", "Điện thoại", "SĐT", "ĐT", "Số ĐT", "Di động", "Điện thoại di động"}},
		{"job", "Nghề nghiệp", false, []string{"Nghề nghiệp", "Công việc", "Nghề nghiệp/Công việc", "Chức danh", "Chức vụ", "Nghề nghiệp, chức danh", "Công việc đang làm", "Chức danh nghề nghiệp"}},
		{"unit_code", "Mã đơn vị", false, []string{"Mã đơn vị", "Mã công đoàn", "Mã CĐCS", "Mã công đoàn cơ sở", "Mã đơn vị công đoàn"}},
		{"unit_name", "Đơn vị", false, []string{"Đơn vị", "Tên đơn vị", "Công đoàn cơ sở", "CĐCS", "Tên CĐCS", "Đơn vị công tác", "Nơi làm việc"}},
		{"joined_on", "Ngày vào công đoàn", false, []string{"Ngày vào công đoàn", "Ngày kết nạp", "Ngày vào CĐ", "Ngày gia nhập công đoàn", "Ngày kết nạp công đoàn", "Ngày vào Công đoàn Việt Nam"}},
		{"note", "Ghi chú", false, []string{"Ghi chú"}},
	},
	Employers: {
		{"tax_code", "Mã số thuế", false, []string{"Mã số thuế", "MST", "Mã số doanh nghiệp", "Mã số DN", "Mã DN", "Mã số thuế/Mã số doanh nghiệp"}},
		{"name", "Tên đơn vị", true, []string{"Tên doanh nghiệp", "Tên đơn vị", "Tên đơn vị sử dụng lao động", "Tên công ty", "Tên DN", "Doanh nghiệp", "Đơn vị sử dụng lao động", "Tên cơ quan, đơn vị"}},
		{"sector", "Loại hình", true, []string{"Loại hình", "Loại hình doanh nghiệp", "Loại hình DN", "Khu vực", "Loại hình đơn vị"}},
		{"industry", "Ngành nghề", false, []string{"Ngành nghề", "Ngành nghề kinh doanh", "Ngành nghề chính", "Lĩnh vực"}},
		{"commune_code", "Mã xã", false, []string{"Mã xã", "Mã xã/phường", "Mã phường/xã", "Mã địa bàn"}},
		{"status", "Trạng thái", false, []string{"Trạng thái", "Tình trạng", "Tình trạng hoạt động"}},
		{"workers_total", "Số lao động", false, []string{"Số lao động", "Tổng số lao động", "Tổng số CNVCLĐ", "Số CNVCLĐ", "Tổng lao động", "Lao động", "Tổng số"}},
		{"workers_female", "Lao động nữ", false, []string{"Lao động nữ", "Số lao động nữ", "Nữ", "Trong đó nữ", "CNVCLĐ nữ", "Số nữ"}},
		{"headcount_as_of", "Ngày số liệu", false, []string{"Ngày số liệu", "Số liệu đến ngày", "Tính đến ngày", "Thời điểm"}},
		{"unit_code", "Mã công đoàn cấp trên", false, []string{"Mã công đoàn cấp trên", "Mã đơn vị quản lý", "Mã đơn vị", "Mã công đoàn", "Mã CĐ cấp trên", "Mã cấp trên"}},
	},
	Units: {
		{"code", "Mã đơn vị", true, []string{"Mã đơn vị", "Mã", "Mã công đoàn", "Mã CĐ", "Mã CĐCS", "Mã công đoàn cơ sở"}},
		{"name", "Tên đơn vị", true, []string{"Tên đơn vị", "Tên công đoàn", "Tên CĐCS", "Đơn vị", "Tên công đoàn cơ sở", "Tên"}},
		{"kind", "Loại đơn vị", true, []string{"Loại đơn vị", "Loại", "Cấp", "Loại công đoàn", "Cấp công đoàn", "Loại hình"}},
		{"parent_code", "Mã đơn vị cấp trên", false, []string{"Mã đơn vị cấp trên", "Mã cấp trên", "Mã công đoàn cấp trên", "Cấp trên", "Đơn vị cấp trên", "Mã CĐ cấp trên"}},
		{"commune_code", "Mã xã", false, []string{"Mã xã", "Mã xã/phường", "Mã phường/xã", "Mã địa bàn"}},
		{"founded_on", "Ngày thành lập", false, []string{"Ngày thành lập", "Ngày thành lập công đoàn", "Thành lập ngày", "Ngày quyết định thành lập"}},
		{"note", "Ghi chú", false, []string{"Ghi chú"}},
	},
}

// aliasIndex maps a normalised header to its field, per kind.
var aliasIndex = map[Kind]map[string]Field{}

func init() {
	for k, defs := range fieldDefs {
		m := map[string]Field{}
		for _, d := range defs {
			m[NormalizeHeader(d.label)] = d.field
			for _, a := range d.aliases {
				n := NormalizeHeader(a)
				if prev, dup := m[n]; dup && prev != d.field {
					panic(fmt.Sprintf("importer: header %q names both %s and %s", a, prev, d.field))
				}
				m[n] = d.field
			}
		}
		aliasIndex[k] = m
	}
}

// fieldDefOf returns the definition of f for kind k.
func fieldDefOf(k Kind, f Field) (fieldDef, bool) {
	for _, d := range fieldDefs[k] {
		if d.field == f {
			return d, true
		}
	}
	return fieldDef{}, false
}

// FieldLabel returns the Vietnamese column name of field f of kind k.
func FieldLabel(k Kind, f Field) string {
	if d, ok := fieldDefOf(k, f); ok {
		return d.label
	}
	return string(f)
}

// Fields lists the fields of kind k in template order.
func Fields(k Kind) []Field {
	var out []Field
	for _, d := range fieldDefs[k] {
		out = append(out, d.field)
	}
	return out
}

// NormalizeHeader is the form headers are compared in: folded (no
// diacritics, lower case), with punctuation, "(*)" marks and line breaks
// turned into single spaces.
func NormalizeHeader(h string) string {
	f := vntext.Fold(h)
	f = strings.Map(func(r rune) rune {
		if 'a' <= r && r <= 'z' || '0' <= r && r <= '9' || r >= 0x80 {
			return r
		}
		return ' '
	}, f)
	return strings.Join(strings.Fields(f), " ")
}

// lookup finds the field of a normalised header, trying it as it is, then
// without a leading "so" (number of) or a trailing "doan vien", "(*)".
func lookup(k Kind, n string) (Field, bool) {
	idx := aliasIndex[k]
	if f, ok := idx[n]; ok {
		return f, true
	}
	for _, try := range []string{
		strings.TrimPrefix(n, "so "),
		strings.TrimSuffix(n, " doan vien"),
		strings.TrimSuffix(n, " cua doan vien"),
	} {
		if f, ok := idx[try]; ok && try != n {
			return f, true
		}
	}
	return "", false
}

// Column is one column of a sheet.
type Column struct {
	Index  int    // 0-based
	Letter string // A, B, …, AA
	Header string // the header cell as written
}

func (c Column) String() string {
	if c.Header == "" {
		return "cột " + c.Letter
	}
	return fmt.Sprintf("cột %s (%s)", c.Letter, c.Header)
}

// ColumnLetter returns the spreadsheet letter of the 0-based column i.
func ColumnLetter(i int) string {
	var b []byte
	for i++; i > 0; i = (i - 1) / 26 {
		b = append([]byte{byte('A' + (i-1)%26)}, b...)
	}
	return string(b)
}

// Mapping says which field each column of a header row fills; "" leaves a
// column out. It is a plain value: the UI shows it, the user changes it
// (Set), and it is remembered under Key, which depends only on the kind
// and the normalised header set.
type Mapping struct {
	Kind    Kind     `json:"kind"`
	Headers []string `json:"headers"`
	Fields  []Field  `json:"fields"`
}

// Key is a stable hash of the kind and the normalised headers, in order:
// the same header row gives the same key whatever its spelling.
func (m Mapping) Key() string {
	h := sha256.New()
	h.Write([]byte(m.Kind))
	for _, s := range m.Headers {
		h.Write([]byte{0x1f})
		h.Write([]byte(NormalizeHeader(s)))
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// Column returns the column that fills f, and false when none does.
func (m Mapping) Column(f Field) (Column, bool) {
	for i, g := range m.Fields {
		if g == f {
			return Column{Index: i, Letter: ColumnLetter(i), Header: m.Headers[i]}, true
		}
	}
	return Column{}, false
}

// Set makes column i fill f ("" to ignore it); another column that filled
// f is cleared, since one field takes one column.
func (m *Mapping) Set(i int, f Field) error {
	if i < 0 || i >= len(m.Fields) {
		return fmt.Errorf("Không có cột số %d trong dòng tiêu đề (có %d cột).", i+1, len(m.Fields))
	}
	if f != "" {
		if _, ok := fieldDefOf(m.Kind, f); !ok {
			return fmt.Errorf("Trường %q không có trong danh sách %s.", f, m.Kind.Label())
		}
		for j, g := range m.Fields {
			if g == f {
				m.Fields[j] = ""
			}
		}
	}
	m.Fields[i] = f
	return nil
}

// Missing returns the required fields no column fills. A member needs a
// birth date or a birth year, and a gender or a "Nữ" column.
func (m Mapping) Missing() []Field {
	have := map[Field]bool{}
	for _, f := range m.Fields {
		have[f] = true
	}
	var out []Field
	for _, d := range fieldDefs[m.Kind] {
		if d.required && !have[d.field] {
			out = append(out, d.field)
		}
	}
	if m.Kind == Members {
		if !have["birth_date"] && !have["birth_year"] {
			out = append(out, "birth_date")
		}
		if !have["gender"] && !have["female"] {
			out = append(out, "gender")
		}
	}
	return out
}

// MissingMessage returns the Vietnamese message for Missing, or "".
func (m Mapping) MissingMessage() string {
	miss := m.Missing()
	if len(miss) == 0 {
		return ""
	}
	names := make([]string, len(miss))
	for i, f := range miss {
		names[i] = "“" + FieldLabel(m.Kind, f) + "”"
	}
	return fmt.Sprintf("Thiếu cột bắt buộc: %s. Thêm cột có tiêu đề như vậy vào dòng tiêu đề của tệp, hoặc chọn cột tương ứng khi ghép cột.", strings.Join(names, ", "))
}

// Ignored returns the columns with a header that fill no field.
func (m Mapping) Ignored() []Column {
	var out []Column
	for i, f := range m.Fields {
		if f == "" && strings.TrimSpace(m.Headers[i]) != "" {
			out = append(out, Column{Index: i, Letter: ColumnLetter(i), Header: m.Headers[i]})
		}
	}
	return out
}

// Notes returns what the user should know about the mapping, in
// Vietnamese: the columns left out, and a reference-only unit name.
func (m Mapping) Notes() []string {
	var out []string
	if ign := m.Ignored(); len(ign) > 0 {
		var cs []string
		for _, c := range ign {
			cs = append(cs, c.String())
		}
		out = append(out, fmt.Sprintf("Bỏ qua %d cột không dùng đến: %s.", len(ign), strings.Join(cs, ", ")))
	}
	if c, ok := m.Column("unit_name"); ok {
		if _, code := m.Column("unit_code"); !code {
			out = append(out, fmt.Sprintf("%s chỉ có tên đơn vị, không dùng để nhập: đoàn viên được kết nạp vào đơn vị chọn khi nhập, hoặc thêm cột “Mã đơn vị”.", strings.ToUpper(c.String()[:1])+c.String()[1:]))
		}
	}
	return out
}

// MatchHeaders maps a header row to the fields of kind k: each header to
// the field whose name or variant it is (any case, with or without
// diacritics); a field claimed twice goes to the first column, the later
// ones are left out. Check Missing before importing.
func MatchHeaders(k Kind, headers []string) Mapping {
	m := Mapping{Kind: k, Headers: append([]string(nil), headers...), Fields: make([]Field, len(headers))}
	taken := map[Field]bool{}
	for i, h := range headers {
		n := NormalizeHeader(h)
		if n == "" {
			continue
		}
		if f, ok := lookup(k, n); ok && !taken[f] {
			m.Fields[i] = f
			taken[f] = true
		}
	}
	return m
}

// headerScore counts the cells of row that name a field of k: the header
// row is the first row that names at least two.
func headerScore(k Kind, row []string) int {
	n := 0
	for _, c := range row {
		if _, ok := lookup(k, NormalizeHeader(c)); ok {
			n++
		}
	}
	return n
}
