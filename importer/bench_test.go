package importer

import (
	"bytes"
	"fmt"
	"testing"
)

// BenchmarkScanCSV reads and converts a 100 000-row member CSV in memory
// (UTF-8, every row valid): the reader, detection, parsing and Validate.
func BenchmarkScanCSV(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString("Họ và tên,Ngày sinh,Giới tính,Số CCCD,Dân tộc,Mã đơn vị\n")
	const n = 100_000
	for i := range n {
		fmt.Fprintf(&buf, "Nguyễn Văn Đức %d,05/03/1990,Nam,006090%06d,Tày,CDCS-1\n", i, i)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		rd, err := Open("m.csv", bytes.NewReader(data), int64(len(data)), Options{})
		if err != nil {
			b.Fatal(err)
		}
		ok := 0
		_, err = Scan(rd, Converter{Mapping: Mapping{Kind: Members}, Today: today}, func(r Result) error {
			if r.OK() {
				ok++
			}
			return nil
		})
		if err != nil || ok != n {
			b.Fatalf("%d ok, %v", ok, err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
