package vntext_test

import (
	"fmt"
	"slices"

	"congdoan/vntext"
)

func ExampleFold() {
	fmt.Println(vntext.Fold("  Đặng   Đức Thắng "))
	// Output: dang duc thang
}

func ExamplePersonSortKey() {
	names := []string{"Trần Bình", "Bế Thị Ánh", "Nguyễn Văn An"}
	slices.SortFunc(names, func(a, b string) int {
		return slices.Compare(vntext.PersonSortKey(a), vntext.PersonSortKey(b))
	})
	fmt.Println(names)
	// Output: [Nguyễn Văn An Bế Thị Ánh Trần Bình]
}

func ExampleFormatPercent() {
	fmt.Println(vntext.FormatPercent(7150, 10000))
	// Output: 71,5 %
}
