package x

func Max(a, b int) int {
	if a > b {
		return a
	}
	return b
}

func Join(a, b string) string { return a + `-` + b }
