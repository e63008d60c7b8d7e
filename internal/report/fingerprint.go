package report

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/aksguard/aksguard/internal/check"
)

// fingerprint identifies a finding across runs: the control and the
// resource, not the file or line (which move as files are edited). SARIF's
// partialFingerprints carry it (sarifFingerprintKey: bump the key if its
// inputs ever change), and baselines and diffs match findings by it.
func fingerprint(res check.Result) string {
	h := sha256.New()
	for _, part := range []string{res.Control, res.Resource.Kind, res.Resource.ID, res.Resource.Name, res.Resource.Namespace} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}
