package check

// Mappings are the compliance benchmark items and Azure Policy built-in
// definitions that check the same thing as a control (or that the control
// is strictly stronger than). A mapping is only recorded where the two
// judge the same configuration: none is better than a wrong one.
type Mappings struct {
	// CIS17 and CIS18 are recommendation ids of the CIS Azure Kubernetes
	// Service Benchmark v1.7.0 and v1.8.0 ("5.4.2").
	CIS17, CIS18 []string
	// AzurePolicy are built-in policy definition GUIDs.
	AzurePolicy []string
}

// Empty reports whether the control maps to nothing.
func (m Mappings) Empty() bool {
	return len(m.CIS17) == 0 && len(m.CIS18) == 0 && len(m.AzurePolicy) == 0
}
