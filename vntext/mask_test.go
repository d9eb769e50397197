package vntext

import "testing"

func TestMaskCCCD(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"cccd", "001084000999", "••••••••0999"},
		{"typed with spaces", "001 084 000 999", "••••••••0999"},
		{"cmnd", "095123456", "•••••3456"},
		{"short fully masked", "1234", "••••"},
		{"tiny", "12", "••"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MaskCCCD(tt.in); got != tt.want {
				t.Errorf("MaskCCCD(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestMaskPhone(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"mobile", "0912345678", "091••••678"},
		{"international", "+84 912 345 678", "091••••678"},
		{"landline", "02093870123", "020•••••123"},
		{"invalid still masked", "12345678", "123••678"},
		{"short fully masked", "123456", "••••••"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MaskPhone(tt.in); got != tt.want {
				t.Errorf("MaskPhone(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
