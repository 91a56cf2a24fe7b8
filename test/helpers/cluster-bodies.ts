// A valid AWS create body (POST /api/v1/clusters, GraphQL createCluster): the REST and GraphQL
// tests send the same input, so a difference in their answers is a difference in the API.
const rolesRef = {
  ingressARN: 'arn:aws:iam::1:role/i',
  imageRegistryARN: 'arn:aws:iam::1:role/r',
  storageARN: 'arn:aws:iam::1:role/s',
  networkARN: 'arn:aws:iam::1:role/n',
  kubeCloudControllerARN: 'arn:aws:iam::1:role/k',
  nodePoolManagementARN: 'arn:aws:iam::1:role/p',
  controlPlaneOperatorARN: 'arn:aws:iam::1:role/c'
}

export function awsBody (name: string, extra: Record<string, unknown> = {}) {
  return {
    name,
    platform: 'aws',
    releaseImage: 'quay.io/openshift-release-dev/ocp-release:4.19.3-x86_64',
    pullSecret: '{"auths":{"quay.io":{"auth":"c2VjcmV0"}}}',
    baseDomain: 'example.com',
    aws: { zones: [{ name: 'us-east-1a', subnetId: 'subnet-a' }], vpcId: 'vpc-1', issuerUrl: 'https://oidc.example.com/x', instanceProfile: 'prof', rolesRef },
    nodePool: { replicas: 2 },
    ...extra
  }
}
