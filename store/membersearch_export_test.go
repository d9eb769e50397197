package store

// SetSearchThresholds lowers the thresholds of the name search for a test
// (see setAbove, scopeAbove) and returns the function that restores them.
func SetSearchThresholds(set, scope int) (restore func()) {
	a, b := setAbove, scopeAbove
	setAbove, scopeAbove = set, scope
	return func() { setAbove, scopeAbove = a, b }
}
