package importer

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"congdoan/vntext"
	"congdoan/vntext/legacy"
)

// Options bound and steer reading a file.
type Options struct {
	// Sheet is the worksheet to read (name, any case and diacritics); the
	// first visible one when empty. CSV files have no sheets.
	Sheet string
	// MaxSize is the largest file accepted, 50 MB when zero.
	MaxSize int64
	// MaxUnzipSize bounds what a workbook may unzip to, all parts
	// together (excelize's UnzipSizeLimit): a zip bomb is refused before
	// it is inflated. 20 × MaxSize when zero.
	MaxUnzipSize int64
	// SampleRows is how many rows are read ahead to tell each column's
	// encoding, 500 when zero.
	SampleRows int
}

// DefaultMaxSize is the largest file accepted unless Options say otherwise.
const DefaultMaxSize = 50 << 20

func (o Options) withDefaults() Options {
	if o.MaxSize <= 0 {
		o.MaxSize = DefaultMaxSize
	}
	if o.MaxUnzipSize <= 0 {
		o.MaxUnzipSize = 20 * o.MaxSize
	}
	if o.SampleRows <= 0 {
		o.SampleRows = 500
	}
	return o
}

// FileError is a file that cannot be read at all, with a Vietnamese
// message for the user.
type FileError struct {
	Message string
	Err     error // the underlying error, if any
}

func (e *FileError) Error() string { return e.Message }
func (e *FileError) Unwrap() error { return e.Err }

func fileErrorf(err error, format string, args ...any) error {
	return &FileError{Message: fmt.Sprintf(format, args...), Err: err}
}

// Reader streams the rows of one sheet of an .xlsx workbook or of a .csv
// file, decoded to Unicode NFC column by column (see legacy.DetectColumns).
type Reader struct {
	Format   string   // "xlsx" or "csv"
	Sheet    string   // the sheet read ("" for CSV)
	Sheets   []string // the workbook's sheets
	Date1904 bool     // the workbook counts dates from 1904
	// Encodings is what each column was found written in.
	Encodings []legacy.Detection
	// Notes says, in Vietnamese, what the user should know about the file:
	// legacy encodings converted, merged cells, the CSV's delimiter.
	Notes []string

	next   func() ([]string, bool, error) // raw cells of the next row
	close  func() error
	buf    []Row
	num    int
	err    error
	isByte bool // CSV cells are legacy bytes held as Latin-1 runes
}

// OpenFile opens the file at path (see Open).
func OpenFile(path string, opt Options) (*Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fileErrorf(err, "Không mở được tệp %s.", path)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fileErrorf(err, "Không đọc được tệp %s.", path)
	}
	rd, err := Open(path, f, st.Size(), opt)
	if err != nil {
		f.Close()
		return nil, err
	}
	inner := rd.close
	rd.close = func() error { e := inner(); f.Close(); return e }
	return rd, nil
}

// Open reads a spreadsheet of size bytes from r; name is only used for its
// extension and in messages. The format is told by the content: a zip is
// a workbook, an OLE2 file a protected or pre-2007 workbook (refused),
// anything textual a CSV. Open reads ahead Options.SampleRows rows to
// detect each column's encoding.
func Open(name string, r io.ReaderAt, size int64, opt Options) (*Reader, error) {
	opt = opt.withDefaults()
	if size > opt.MaxSize {
		return nil, fileErrorf(nil, "Tệp %s nặng %s, vượt giới hạn %s. Chia tệp thành nhiều tệp nhỏ hơn rồi nhập lần lượt.", baseName(name), mb(size), mb(opt.MaxSize))
	}
	if size == 0 {
		return nil, fileErrorf(nil, "Tệp %s trống.", baseName(name))
	}
	head := make([]byte, 8)
	n, _ := r.ReadAt(head, 0)
	head = head[:n]
	var rd *Reader
	var err error
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		rd, err = openXLSX(name, r, size, opt)
	case bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		return nil, fileErrorf(nil, "Tệp %s được đặt mật khẩu hoặc là tệp Excel 97–2003 (.xls). Mở tệp bằng Excel, bỏ mật khẩu (Tệp → Thông tin → Bảo vệ sổ làm việc) và lưu lại dạng .xlsx, rồi nhập lại.", baseName(name))
	default:
		rd, err = openCSV(name, io.NewSectionReader(r, 0, size))
	}
	if err != nil {
		return nil, err
	}
	rd.prefetch(opt.SampleRows)
	return rd, nil
}

func baseName(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}

func mb(n int64) string { return vntext.FormatInt((n+(1<<20)-1)>>20) + " MB" }

func openXLSX(name string, r io.ReaderAt, size int64, opt Options) (*Reader, error) {
	f, err := excelize.OpenReader(io.NewSectionReader(r, 0, size), excelize.Options{
		RawCellValue:      true,
		UnzipSizeLimit:    opt.MaxUnzipSize,
		UnzipXMLSizeLimit: min(opt.MaxUnzipSize, excelize.StreamChunkSize),
	})
	if err != nil {
		if strings.Contains(err.Error(), "unzip size exceeds") {
			return nil, fileErrorf(err, "Tệp %s khi giải nén vượt %s: có thể là tệp hỏng hoặc tệp độc hại (zip bomb). Không nhập tệp này.", baseName(name), mb(opt.MaxUnzipSize))
		}
		if errors.Is(err, excelize.ErrWorkbookPassword) {
			return nil, fileErrorf(err, "Tệp %s được đặt mật khẩu. Bỏ mật khẩu rồi lưu lại, sau đó nhập lại.", baseName(name))
		}
		return nil, fileErrorf(err, "Tệp %s không phải bảng tính Excel (.xlsx) đọc được, hoặc tệp đã hỏng. Mở tệp bằng Excel hoặc LibreOffice, lưu lại dạng .xlsx rồi nhập lại.", baseName(name))
	}
	rd := &Reader{Format: "xlsx", Sheets: f.GetSheetList()}
	if len(rd.Sheets) == 0 {
		f.Close()
		return nil, fileErrorf(nil, "Tệp %s không có trang tính nào.", baseName(name))
	}
	rd.Sheet, err = chooseSheet(rd.Sheets, opt.Sheet, f)
	if err != nil {
		f.Close()
		return nil, err
	}
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		rd.Date1904 = *props.Date1904
	}
	if size <= 5<<20 { // merged cells need the whole sheet in memory: small files only
		if merged, err := f.GetMergeCells(rd.Sheet, true); err == nil && len(merged) > 0 {
			var refs []string
			for i, m := range merged {
				if i == 5 {
					refs = append(refs, "…")
					break
				}
				refs = append(refs, m.GetStartAxis()+":"+m.GetEndAxis())
			}
			rd.Notes = append(rd.Notes, fmt.Sprintf("Trang tính có %d vùng ô gộp (%s): chỉ ô đầu mỗi vùng có giá trị, các ô còn lại được đọc là trống.", len(merged), strings.Join(refs, ", ")))
		}
	}
	rows, err := f.Rows(rd.Sheet)
	if err != nil {
		f.Close()
		return nil, fileErrorf(err, "Không đọc được trang tính “%s” của tệp %s.", rd.Sheet, baseName(name))
	}
	rd.next = func() ([]string, bool, error) {
		if !rows.Next() {
			if err := rows.Error(); err != nil {
				return nil, false, fileErrorf(err, "Tệp %s hỏng ở trang tính “%s”: %v.", baseName(name), rd.Sheet, err)
			}
			return nil, false, nil
		}
		cells, err := rows.Columns()
		if err != nil {
			return nil, false, fileErrorf(err, "Tệp %s hỏng ở trang tính “%s”.", baseName(name), rd.Sheet)
		}
		return cells, true, nil
	}
	rd.close = func() error { rows.Close(); return f.Close() }
	return rd, nil
}

// chooseSheet finds the sheet asked for, or the first visible one.
func chooseSheet(sheets []string, want string, f *excelize.File) (string, error) {
	if strings.TrimSpace(want) != "" {
		for _, s := range sheets {
			if vntext.Fold(s) == vntext.Fold(want) {
				return s, nil
			}
		}
		quoted := make([]string, len(sheets))
		for i, s := range sheets {
			quoted[i] = "“" + s + "”"
		}
		return "", fileErrorf(nil, "Không có trang tính “%s”. Tệp có các trang: %s.", want, strings.Join(quoted, ", "))
	}
	for _, s := range sheets {
		if v, err := f.GetSheetVisible(s); err == nil && v {
			return s, nil
		}
	}
	return sheets[0], nil
}

func openCSV(name string, sr *io.SectionReader) (*Reader, error) {
	br := bufio.NewReaderSize(sr, 64<<10)
	sample, _ := br.Peek(64 << 10)
	var src io.Reader = br
	rd := &Reader{Format: "csv"}
	switch {
	case bytes.HasPrefix(sample, []byte{0xEF, 0xBB, 0xBF}):
		br.Discard(3)
		sample = sample[3:]
	case bytes.HasPrefix(sample, []byte{0xFF, 0xFE}), bytes.HasPrefix(sample, []byte{0xFE, 0xFF}):
		// Excel's "Unicode text": UTF-16 with a byte-order mark.
		src = transform.NewReader(br, unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder())
		sample, _ = io.ReadAll(io.LimitReader(transform.NewReader(bytes.NewReader(sample), unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder()), 64<<10))
	default:
		if bytes.IndexByte(sample, 0) >= 0 || !looksTextual(sample) {
			return nil, fileErrorf(nil, "Tệp %s không phải bảng tính: chỉ nhập được tệp Excel (.xlsx) hoặc CSV.", baseName(name))
		}
		// Cut a rune split by the sample's end before checking UTF-8.
		s := sample
		for i := 0; i < 3 && len(s) > 0 && !utf8.Valid(s); i++ {
			s = s[:len(s)-1]
		}
		rd.isByte = !utf8.Valid(s)
	}
	delim := detectDelimiter(sample)
	if delim != ',' {
		rd.Notes = append(rd.Notes, fmt.Sprintf("Tệp CSV dùng dấu phân cách “%s”.", map[rune]string{';': ";", '\t': "tab"}[delim]))
	}
	cr := csv.NewReader(src)
	cr.Comma = delim
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.ReuseRecord = false
	// encoding/csv skips empty lines; a spreadsheet shows them as blank
	// rows, and row numbers must match what the user sees.
	blanks, lastEnd := 0, 0
	var pending []string
	rd.next = func() ([]string, bool, error) {
		if blanks > 0 {
			blanks--
			return []string{}, true, nil
		}
		if pending != nil {
			rec := pending
			pending = nil
			return rec, true, nil
		}
		rec, err := cr.Read()
		if err == io.EOF {
			return nil, false, nil
		}
		if err != nil {
			line, _ := cr.FieldPos(0)
			return nil, false, fileErrorf(err, "Tệp %s hỏng ở dòng %d: %v.", baseName(name), line, err)
		}
		if rd.isByte {
			for i, c := range rec {
				rec[i] = latin1(c)
			}
		}
		start, _ := cr.FieldPos(0)
		end, _ := cr.FieldPos(len(rec) - 1)
		end += strings.Count(rec[len(rec)-1], "\n")
		gap := start - lastEnd - 1
		lastEnd = end
		if gap > 0 {
			blanks, pending = gap-1, rec
			return []string{}, true, nil
		}
		return rec, true, nil
	}
	rd.close = func() error { return nil }
	return rd, nil
}

// latin1 holds the bytes of s as the runes U+0000–U+00FF, the form
// legacy.Decode reads legacy text in.
func latin1(s string) string {
	if isASCII(s) {
		return s
	}
	r := make([]rune, len(s))
	for i := 0; i < len(s); i++ {
		r[i] = rune(s[i])
	}
	return string(r)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// looksTextual reports whether sample has few control bytes besides tab,
// CR and LF (legacy encodings use bytes above 0x7F, not controls).
func looksTextual(b []byte) bool {
	ctl := 0
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\r' && c != '\n' && c != 0x1A {
			ctl++
		}
	}
	return ctl*100 <= len(b)
}

// detectDelimiter picks , ; or tab: the one that splits the first lines
// (quotes respected) into the same number of fields, the most fields.
func detectDelimiter(sample []byte) rune {
	lines := strings.Split(strings.ReplaceAll(string(sample), "\r\n", "\n"), "\n")
	if len(lines) > 1 {
		lines = lines[:len(lines)-1] // the last may be cut
	}
	if len(lines) > 10 {
		lines = lines[:10]
	}
	best, bestScore := ',', -1
	for _, d := range []rune{',', ';', '\t'} {
		counts := map[int]int{}
		for _, l := range lines {
			if strings.TrimSpace(l) == "" {
				continue
			}
			n, inQ := 0, false
			for _, r := range l {
				switch {
				case r == '"':
					inQ = !inQ
				case r == d && !inQ:
					n++
				}
			}
			counts[n]++
		}
		// The most common field count, weighted by how many lines agree.
		for n, c := range counts {
			if n > 0 && c*100+n > bestScore {
				best, bestScore = d, c*100+n
			}
		}
	}
	return best
}

// prefetch reads up to n rows, detects each column's encoding on them and
// keeps them for Next.
func (rd *Reader) prefetch(n int) {
	var raw [][]string
	for len(raw) < n {
		cells, ok, err := rd.next()
		if err != nil {
			rd.err = err
			break
		}
		if !ok {
			break
		}
		raw = append(raw, cells)
	}
	rd.Encodings = legacy.DetectColumns(raw)
	for i, d := range rd.Encodings {
		switch {
		case d.Encoding.Legacy():
			note := fmt.Sprintf("Cột %s được gõ bằng bảng mã %s (%d/%d từ có dấu đọc được): đã chuyển sang Unicode.", ColumnLetter(i), d.Encoding, int(d.Confidence*float64(d.Words)+0.5), d.Words)
			if d.UpperFont {
				note += " Chữ được gõ bằng phông chữ hoa (như .VnTimeH) nên đã đổi thành chữ in hoa."
			}
			rd.Notes = append(rd.Notes, note)
		case d.Encoding == legacy.Unicode && d.NFD:
			rd.Notes = append(rd.Notes, fmt.Sprintf("Cột %s có chữ Unicode tổ hợp (dấu tách rời): đã chuẩn hoá sang Unicode dựng sẵn.", ColumnLetter(i)))
		}
		if d.Words >= 3 && d.Confidence < 0.6 {
			rd.Notes = append(rd.Notes, fmt.Sprintf("Không xác định chắc chắn được bảng mã của cột %s (chỉ %d/%d từ có dấu đọc được theo %s): kiểm tra lại chữ có dấu ở cột này, hoặc lưu tệp dạng Unicode (UTF-8) rồi nhập lại.", ColumnLetter(i), int(d.Confidence*float64(d.Words)+0.5), d.Words, d.Encoding))
		}
	}
	for _, cells := range raw {
		rd.num++
		rd.buf = append(rd.buf, Row{Num: rd.num, Cells: rd.decode(cells)})
	}
}

func (rd *Reader) decode(cells []string) []string {
	for i, c := range cells {
		d := legacy.Detection{Encoding: legacy.Unicode}
		if i < len(rd.Encodings) {
			d = rd.Encodings[i]
		}
		if d.Encoding == legacy.ASCII && rd.isByte {
			d.Encoding = legacy.CP1258 // stray bytes in a column without words: read them as Windows-1258
		}
		cells[i] = d.Decode(c)
	}
	return cells
}

// Next returns the next row, with its 1-based row number, and false at
// the end of the sheet or on an error (see Err).
func (rd *Reader) Next() (Row, bool) {
	if len(rd.buf) > 0 {
		r := rd.buf[0]
		rd.buf = rd.buf[1:]
		return r, true
	}
	if rd.err != nil {
		return Row{}, false
	}
	cells, ok, err := rd.next()
	if err != nil {
		rd.err = err
	}
	if !ok {
		return Row{}, false
	}
	rd.num++
	return Row{Num: rd.num, Cells: rd.decode(cells)}, true
}

// Err returns the error that ended the rows early, nil at a clean end.
func (rd *Reader) Err() error { return rd.err }

// Close releases the file (and excelize's temporary files).
func (rd *Reader) Close() error { return rd.close() }
