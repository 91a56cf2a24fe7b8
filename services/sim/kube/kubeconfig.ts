// A kubeconfig for the twin: any bearer token is accepted.
import { stringify } from 'yaml'

export function kubeconfigFor (server: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    // client-node refuses plain http unless TLS verification is switched off; kubectl ignores it for http
    clusters: [{ name: 'twin', cluster: { server, 'insecure-skip-tls-verify': true } }],
    users: [{ name: 'twin-admin', user: { token: 'twin-admin-token' } }],
    contexts: [{ name: 'twin', context: { cluster: 'twin', user: 'twin-admin', namespace: 'default' } }],
    'current-context': 'twin',
    preferences: {}
  })
}
