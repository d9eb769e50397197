// The province table below was produced once from the GSO administrative
// unit list of 01/03/2025 (shared/data/dvhcvn-2025-03-01.json), dropping the
// "Tỉnh " / "Thành phố " prefix. It is kept as ordinary source, not read at
// run time, so the binary has no data-file dependency.

package vntext

// provinceName maps a GSO 2-digit province code to its short name. It is a
// switch rather than a map so the table is immutable and costs nothing at
// start-up. The codes are the 63 provinces in force before the July 2025
// merger; CCCD numbers keep encoding these codes, so the old list is the one
// that matters for decoding IDs.
func provinceName(code2 string) (string, bool) {
	switch code2 {
	case "01":
		return "Hà Nội", true
	case "02":
		return "Hà Giang", true
	case "04":
		return "Cao Bằng", true
	case "06":
		return "Bắc Kạn", true
	case "08":
		return "Tuyên Quang", true
	case "10":
		return "Lào Cai", true
	case "11":
		return "Điện Biên", true
	case "12":
		return "Lai Châu", true
	case "14":
		return "Sơn La", true
	case "15":
		return "Yên Bái", true
	case "17":
		return "Hoà Bình", true
	case "19":
		return "Thái Nguyên", true
	case "20":
		return "Lạng Sơn", true
	case "22":
		return "Quảng Ninh", true
	case "24":
		return "Bắc Giang", true
	case "25":
		return "Phú Thọ", true
	case "26":
		return "Vĩnh Phúc", true
	case "27":
		return "Bắc Ninh", true
	case "30":
		return "Hải Dương", true
	case "31":
		return "Hải Phòng", true
	case "33":
		return "Hưng Yên", true
	case "34":
		return "Thái Bình", true
	case "35":
		return "Hà Nam", true
	case "36":
		return "Nam Định", true
	case "37":
		return "Ninh Bình", true
	case "38":
		return "Thanh Hóa", true
	case "40":
		return "Nghệ An", true
	case "42":
		return "Hà Tĩnh", true
	case "44":
		return "Quảng Bình", true
	case "45":
		return "Quảng Trị", true
	case "46":
		return "Huế", true
	case "48":
		return "Đà Nẵng", true
	case "49":
		return "Quảng Nam", true
	case "51":
		return "Quảng Ngãi", true
	case "52":
		return "Bình Định", true
	case "54":
		return "Phú Yên", true
	case "56":
		return "Khánh Hòa", true
	case "58":
		return "Ninh Thuận", true
	case "60":
		return "Bình Thuận", true
	case "62":
		return "Kon Tum", true
	case "64":
		return "Gia Lai", true
	case "66":
		return "Đắk Lắk", true
	case "67":
		return "Đắk Nông", true
	case "68":
		return "Lâm Đồng", true
	case "70":
		return "Bình Phước", true
	case "72":
		return "Tây Ninh", true
	case "74":
		return "Bình Dương", true
	case "75":
		return "Đồng Nai", true
	case "77":
		return "Bà Rịa - Vũng Tàu", true
	case "79":
		return "Hồ Chí Minh", true
	case "80":
		return "Long An", true
	case "82":
		return "Tiền Giang", true
	case "83":
		return "Bến Tre", true
	case "84":
		return "Trà Vinh", true
	case "86":
		return "Vĩnh Long", true
	case "87":
		return "Đồng Tháp", true
	case "89":
		return "An Giang", true
	case "91":
		return "Kiên Giang", true
	case "92":
		return "Cần Thơ", true
	case "93":
		return "Hậu Giang", true
	case "94":
		return "Sóc Trăng", true
	case "95":
		return "Bạc Liêu", true
	case "96":
		return "Cà Mau", true
	}
	return "", false
}
