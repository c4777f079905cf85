package linemock

// LINE's identifiers are one letter followed by 32 lowercase hex digits (REFERENCE.md §10).
// The checks are hand-written rather than regular expressions because they run on every
// request and the benchmark should measure the mock, not the regexp engine.

func isUserID(s string) bool  { return isLINEID(s, 'U') }
func isGroupID(s string) bool { return isLINEID(s, 'C') }
func isRoomID(s string) bool  { return isLINEID(s, 'R') }

func isLINEID(s string, prefix byte) bool {
	if len(s) != 33 || s[0] != prefix {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// isChannelID reports whether s looks like a channel ID: a non-empty decimal string.
func isChannelID(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
