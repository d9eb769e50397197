package legacy

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// onsets are the initial consonants of Vietnamese syllables, longest first
// where one is a prefix of another (the matcher tries them all anyway).
var onsets = []string{
	"ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr",
	"b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "",
}

// rhymes are the Vietnamese rhymes (medial, nucleus, coda) without tone.
var rhymes = map[string]bool{}

func init() {
	for _, r := range strings.Fields(`
		a ai ao au ay am an ang anh ap at ac ach
		ăm ăn ăng ăp ăt ăc
		âu ây âm ân âng âp ât âc
		e eo em en eng ep et ec
		ê êu êm ên ênh êp êt êch
		i ia iu im in inh ip it ich
		iêu iêm iên iêng iêp iêt iêc
		o oi om on ong op ot oc oong ooc
		ô ôi ôm ôn ông ôp ôt ôc
		ơ ơi ơm ơn ơp ơt
		u ua ui um un ung up ut uc
		uôi uôm uôn uông uôt uôc
		uy uya uyu uyên uyêt uynh uych uyt uân uâng uât uây uê uênh uơ
		ư ưa ưi ưu ưm ưng ưt ưc ươi ươu ươm ươn ương ươp ươt ươc
		y yêu yên yêm yêt
		oa oai oay oan oang oanh oat oac oach oăn oăng oăt oăc oam oap
		oe oeo oen oet
	`) {
		rhymes[r] = true
	}
}

// Syllable reports whether word (one word, any case, NFC or NFD) is a
// valid Vietnamese syllable: an initial consonant (or none), a rhyme, at
// most one tone mark, and only the acute or dot-below tone on a rhyme that
// ends in p, t, c or ch. It does not check spelling conventions such as
// k before i/e/ê, so it accepts a little more than the language uses; it
// is meant to tell a right decoding from a wrong one.
func Syllable(word string) bool {
	if word == "" || len(word) > 40 {
		return false
	}
	d := norm.NFD.String(strings.ToLower(word))
	tone := rune(0)
	var base strings.Builder
	for _, r := range d {
		if strings.ContainsRune(tones, r) {
			if tone != 0 {
				return false
			}
			tone = r
			continue
		}
		base.WriteRune(r)
	}
	s := norm.NFC.String(base.String())
	for _, r := range s {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	for _, on := range onsets {
		rest, ok := strings.CutPrefix(s, on)
		if !ok {
			continue
		}
		if rest == "" {
			if on == "gi" { // gì, gi
				return true
			}
			continue
		}
		if !rhymes[rest] {
			continue
		}
		if on == "qu" && (strings.HasPrefix(rest, "u") || strings.HasPrefix(rest, "o")) {
			continue
		}
		if stopCoda(rest) && tone != 0 && tone != '\u0301' && tone != '\u0323' {
			continue
		}
		return true
	}
	return false
}

// stopCoda reports whether rhyme ends in a stop consonant.
func stopCoda(rhyme string) bool {
	return strings.HasSuffix(rhyme, "p") || strings.HasSuffix(rhyme, "t") ||
		strings.HasSuffix(rhyme, "c") || strings.HasSuffix(rhyme, "ch")
}
