package importer

import "fmt"

// Summary is what Scan found in a sheet.
type Summary struct {
	HeaderRow int      // 1-based row of the header
	Mapping   Mapping  // the mapping used
	Notes     []string // the reader's and the mapping's notes, and skipped rows
	Rows      int      // data rows after the header, skipped ones included
	Skipped   int
	Refused   int // rows with an error
}

// headerSearchRows is how far down a header row is looked for: files often
// start with a title ("DANH SÁCH ĐOÀN VIÊN …") and a blank row.
const headerSearchRows = 20

// Scan reads the rest of rd as a sheet of conv.Mapping.Kind: it finds the
// header row (the first of the first 20 rows naming two fields or more),
// uses conv.Mapping when it has the same Key as that header row (a mapping
// the user changed) or else matches the headers, refuses a sheet that
// lacks required columns, and calls fn with every row after the header,
// converted. An error from fn stops the scan and is returned.
func Scan(rd *Reader, conv Converter, fn func(Result) error) (Summary, error) {
	k := conv.Mapping.Kind
	var sum Summary
	var header Row
	found := false
	for i := 0; i < headerSearchRows; i++ {
		r, ok := rd.Next()
		if !ok {
			break
		}
		if headerScore(k, r.Cells) >= 2 {
			header, found = r, true
			break
		}
	}
	if err := rd.Err(); err != nil {
		return sum, err
	}
	if !found {
		return sum, fileErrorf(nil, "Không tìm thấy dòng tiêu đề của danh sách %s trong %d dòng đầu của trang tính. Dòng tiêu đề cần có tên các cột, ví dụ %s.", k.Label(), headerSearchRows, exampleHeaders(k))
	}
	sum.HeaderRow = header.Num
	m := MatchHeaders(k, header.Cells)
	if len(conv.Mapping.Fields) > 0 && conv.Mapping.Key() == m.Key() {
		m = conv.Mapping
	}
	if msg := m.MissingMessage(); msg != "" {
		return sum, fileErrorf(nil, "%s", msg)
	}
	conv.Mapping = m
	conv.Date1904 = conv.Date1904 || rd.Date1904
	sum.Mapping = m
	sum.Notes = append(append(sum.Notes, rd.Notes...), m.Notes()...)
	for {
		r, ok := rd.Next()
		if !ok {
			break
		}
		sum.Rows++
		res := conv.Convert(r)
		switch {
		case res.Skipped != "":
			sum.Skipped++
			sum.Notes = append(sum.Notes, fmt.Sprintf("Dòng %d: %s", r.Num, res.Skipped))
		case !res.OK():
			sum.Refused++
		}
		if err := fn(res); err != nil {
			return sum, err
		}
	}
	return sum, rd.Err()
}

func exampleHeaders(k Kind) string {
	var out string
	for i, d := range fieldDefs[k] {
		if i == 3 {
			break
		}
		if i > 0 {
			out += ", "
		}
		out += "“" + d.label + "”"
	}
	return out
}
