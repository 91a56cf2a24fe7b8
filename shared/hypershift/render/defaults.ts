// hcp defaults, each with the upstream file (openshift/hypershift) it is copied from.

// cmd/cluster/core/create.go DefaultOptions
export const DEFAULT_NAMESPACE = 'clusters'
export const DEFAULT_CONTROLLER_AVAILABILITY_POLICY = 'SingleReplica'
export const DEFAULT_ARCH = 'amd64'
export const DEFAULT_NETWORK_TYPE = 'OVNKubernetes'
// hyperv1.ManagementOLMCatalogPlacement (api/hypershift/v1beta1/hostedcluster_types.go)
export const DEFAULT_OLM_CATALOG_PLACEMENT = 'management'
// flag --node-pool-replicas has no default in DefaultOptions, so the int32 zero value applies
export const DEFAULT_NODE_POOL_REPLICAS = 0
// flag --node-drain-timeout / --node-volume-detach-timeout: zero time.Duration prints as 0s
export const DEFAULT_NODE_TIMEOUT = '0s'

// api/hypershift/v1beta1 DefaultPersistentVolumeEtcdStorageSize (used by cmd/cluster/core/create.go prototypeResources)
export const DEFAULT_ETCD_STORAGE_SIZE = '8Gi'

// cmd/cluster/core/create.go etcdEncryptionKeySecret: 32 random bytes under hyperv1.AESCBCKeySecretKey
export const ETCD_ENCRYPTION_KEY_BYTES = 32
export const AESCBC_KEY_SECRET_KEY = 'key'

// cmd/util DeleteWithClusterLabelName, set on every Secret hcp creates
export const SAFE_TO_DELETE_LABEL = 'hypershift.openshift.io/safe-to-delete-with-cluster'

// cmd/cluster/core/create.go applyTrustBundleAndImageSources
export const TRUST_BUNDLE_CONFIGMAP = 'user-ca-bundle'
export const TRUST_BUNDLE_KEY = 'ca-bundle.crt'

// support/infraid/infraid.go: name truncated to 27-6 chars + "-" + utilrand.String(5);
// k8s.io/apimachinery/pkg/util/rand alphabet (no vowels, no 0/1/3 to avoid words and look-alikes)
export const INFRA_ID_MAX_LEN = 27
export const INFRA_ID_RANDOM_LEN = 5
export const INFRA_ID_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789'

// cmd/cluster/agent/create.go, cmd/cluster/none/create.go ApplyPlatformSpecifics
export const PLACEHOLDER_BASE_DOMAIN = 'example.com'

// cmd/cluster/aws/create.go DefaultOptions / Complete / GenerateNodePools
export const AWS_DEFAULT_REGION = 'us-east-1'
export const AWS_DEFAULT_ENDPOINT_ACCESS = 'Public'
export const AWS_DEFAULT_ROOT_VOLUME_TYPE = 'gp3'
export const AWS_DEFAULT_ROOT_VOLUME_SIZE = 120
export const AWS_DEFAULT_ETCD_STORAGE_CLASS = 'gp3-csi'
export const AWS_DEFAULT_INSTANCE_TYPE = { amd64: 'm5.large', arm64: 'm6g.large' } as const

// cmd/nodepool/kubevirt/create.go DefaultOptions
export const KUBEVIRT_DEFAULT_MEMORY = '4Gi'
export const KUBEVIRT_DEFAULT_CORES = 2
export const KUBEVIRT_DEFAULT_ROOT_VOLUME_GI = 32
export const KUBEVIRT_DEFAULT_MULTIQUEUE = 'Enable'
export const KUBEVIRT_DEFAULT_QOS_CLASS = 'Burstable'
// cmd/cluster/kubevirt/create.go DefaultOptions (IngressServicePublishingStrategy)
export const KUBEVIRT_DEFAULT_PUBLISHING = 'Ingress'

// cmd/cluster/openstack/create.go credentialCloudName; support/config DefaultMachineNetwork
export const OPENSTACK_CLOUD_NAME = 'openstack'
export const OPENSTACK_DEFAULT_MACHINE_CIDR = '10.0.0.0/16'

// Default NodePool upgrade type per platform (each platform's GenerateNodePools in cmd/cluster/<platform>/create.go).
export const DEFAULT_UPGRADE_TYPE = {
  aws: 'Replace',
  agent: 'InPlace',
  kubevirt: 'Replace',
  openstack: 'Replace',
  none: 'InPlace'
} as const
