package report

// writeClusters lists the clusters of a fleet scan that could not be read,
// each with its resource group and why (wrapped to the width); the clusters
// that were read have their rows in the summary.
func writeClusters(l *lineWriter, cs []ClusterSummary) {
	var unread []ClusterSummary
	for _, c := range cs {
		if c.Error != "" {
			unread = append(unread, c)
		}
	}
	l.item(0, "Clusters:", ansiBold, 0, plural(len(cs), "cluster")+" in the fleet, "+plural(len(cs)-len(unread), "read")+" (their rows are above)")
	if len(unread) == 0 {
		return
	}
	l.item(0, "Not read:", ansiBoldRed, 0, plural(len(unread), "cluster")+" (not judged: no result of theirs is in this report)")
	for _, c := range unread {
		name := "cluster " + oneLine(c.Name) + clusterOrigin(c.ID)
		l.item(blockIndent, "", "", 0, name)
		l.item(blockIndent, "error", ansiBoldRed, blockLabel, oneLine(c.Error))
	}
}
