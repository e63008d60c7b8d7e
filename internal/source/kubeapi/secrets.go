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

// secretsFrom turns a page of PartialObjectMetadata into Secrets.
func secretsFrom(items []json.RawMessage, label string) *inventory.Batch {
	k := &inventory.Kube{}
	for _, it := range items {
		var m metav1.PartialObjectMetadata
		if err := json.Unmarshal(it, &m); err != nil {
			continue
		}
		inventory.Count(&k.Objects, "Secret")
		meta := metaOf(&m.ObjectMeta, "v1", "Secret")
		meta.Source = inventory.Source{File: label}
		k.Secrets = append(k.Secrets, &inventory.Secret{Meta: meta, MetadataOnly: true})
	}
	return &inventory.Batch{Kube: k}
}

// secretTypes sets the type of the image pull Secrets among the pages read.
func (r *reader) secretTypes(ctx context.Context, res resource, pages []*inventory.Batch) error {
	byKey := map[string]*inventory.Secret{}
	for _, b := range pages {
		for _, s := range b.Kube.Secrets {
			byKey[s.Namespace+"/"+s.Name] = s
		}
	}
	for _, t := range pullSecretTypes {
		err := r.each(ctx, res, "type="+string(t), func(items []json.RawMessage) {
			for _, it := range items {
				var m metav1.PartialObjectMetadata
				if json.Unmarshal(it, &m) == nil {
					if s := byKey[m.Namespace+"/"+m.Name]; s != nil {
						s.Type = t
					}
				}
			}
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// metaOf keeps what inventory.Meta keeps of an object's metadata; the
// last-applied-configuration annotation (a copy of the whole object, a
// Secret's data included) is dropped.
func metaOf(m *metav1.ObjectMeta, apiVersion, kind string) inventory.Meta {
	ann := m.Annotations
	if _, ok := ann[lastApplied]; ok {
		ann = make(map[string]string, len(m.Annotations))
		for k, v := range m.Annotations {
			if k != lastApplied {
				ann[k] = v
			}
		}
	}
	return inventory.Meta{APIVersion: apiVersion, Kind: kind, Namespace: m.Namespace, Name: m.Name,
		GenerateName: m.GenerateName, Labels: m.Labels, Annotations: ann, OwnerReferences: m.OwnerReferences}
}

const lastApplied = "kubectl.kubernetes.io/last-applied-configuration"
