package store

// SetSearchThresholds lowers the thresholds of the broad name search for a
// test (see broadAbove) and returns the function that restores them.
func SetSearchThresholds(broad, spread int) (restore func()) {
	b, s := broadAbove, spreadAbove
	broadAbove, spreadAbove = broad, spread
	return func() { broadAbove, spreadAbove = b, s }
}
