package kubeapi

import (
	"context"
	"encoding/json"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/aksguard/aksguard/internal/inventory"
)

// Secrets are listed as PartialObjectMetadata: the server sends names,
// labels and annotations, never data. Their type is not part of the
// metadata, so the types the controls need (image pull secrets) are found
// with field-selector lists, again metadata only.

// pullSecretTypes are the Secret types whose registries AKS-IDN-005 judges.
var pullSecretTypes = []corev1.SecretType{corev1.SecretTypeDockerConfigJson, corev1.SecretTypeDockercfg}

// secretTypes sets the type of the image pull Secrets among the pages read.
func (r *reader) secretTypes(ctx context.Context, res resource, pages []*inventory.Batch) error {
	byKey := map[string]*inventory.Secret{}
	for _, b := range pages {
		for _, s := range b.Kube.Secrets {
			byKey[s.Namespace+"/"+s.Name] = s
		}
	}
	for _, t := range pullSecretTypes {
		err := r.each(ctx, res, "type="+string(t), func(items []json.RawMessage) error {
			for _, it := range items {
				var m metav1.PartialObjectMetadata
				if json.Unmarshal(it, &m) == nil {
					if s := byKey[m.Namespace+"/"+m.Name]; s != nil {
						s.Type = t
					}
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}
