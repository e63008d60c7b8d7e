package images

func tagSuffix(tag string) string {
	if tag == "" {
		return ""
	}
	return ":" + tag
}
