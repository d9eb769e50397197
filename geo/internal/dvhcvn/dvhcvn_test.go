package dvhcvn

import (
	"strings"
	"testing"
)

// The fixture copies the source's known faults: a mis-cased prefix, runs
// of spaces, a ward typed "Xã", an Icelandic eth for Đ, and units out of code order.
const fixture = `{"data_date":"01/03/2025","stats":{"level1_count":1,"level2_count":1,"level3_count":4},"data":[
 {"level1_id":"06","name":"Tỉnh Bắc Kạn","type":"Tỉnh","level2s":[
  {"level2_id":"058","name":"Thành Phố Bắc Kạn","type":"Thành phố","level3s":[
   {"level3_id":"01840","name":"Xã  Nông  Thượng ","type":"Xã"},
   {"level3_id":"01843","name":"Xã \u00D0ôn Phong","type":"Xã"},
   {"level3_id":"01834","name":"Phường Nguyễn Thị Minh Khai","type":"Phường"},
   {"level3_id":"01837","name":"Phường Sông Cầu","type":"Xã"}]}]}]}`

func TestConvert(t *testing.T) {
	res, err := Convert([]byte(fixture))
	if err != nil {
		t.Fatal(err)
	}
	_, body, _ := strings.Cut(string(res.TSV), "parent\n")
	want := "1\t06\tBắc Kạn\tTỉnh\t\n" +
		"2\t058\tBắc Kạn\tThành phố\t06\n" +
		"3\t01834\tNguyễn Thị Minh Khai\tPhường\t058\n" +
		"3\t01837\tSông Cầu\tPhường\t058\n" +
		"3\t01840\tNông Thượng\tXã\t058\n" +
		"3\t01843\t\u0110ôn Phong\tXã\t058\n"
	if body != want {
		t.Errorf("got\n%s\nwant\n%s", body, want)
	}
	if len(res.Notes) != 4 {
		t.Errorf("notes = %q, want 4 repairs", res.Notes)
	}
}

func TestConvertRejects(t *testing.T) {
	for name, in := range map[string]string{
		"decomposed": `{"data":[{"level1_id":"06","name":"Tỉnh Bă` + "\u0301" + `c Kạn","type":"Tỉnh","level2s":[]}]}`,
		"no prefix":  `{"data":[{"level1_id":"06","name":"Bắc Kạn","type":"Tỉnh","level2s":[]}]}`,
		"bad type":   `{"data":[{"level1_id":"06","name":"Xã Bắc Kạn","type":"Xã","level2s":[]}]}`,
		"bad code":   `{"data":[{"level1_id":"6","name":"Tỉnh Bắc Kạn","type":"Tỉnh","level2s":[]}]}`,
		"counts":     `{"stats":{"level1_count":2,"level2_count":0,"level3_count":0},"data":[{"level1_id":"06","name":"Tỉnh Bắc Kạn","type":"Tỉnh","level2s":[]}]}`,
	} {
		if _, err := Convert([]byte(in)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
