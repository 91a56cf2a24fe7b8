import { createHash } from 'node:crypto'
import { stringify } from 'yaml'
import type { HostedCluster } from './types.ts'

// Admin access the HyperShift Operator publishes for a hosted cluster (seed 002_ch4 §1.4):
// `<name>-admin-kubeconfig` (key `kubeconfig`) and `<name>-kubeadmin-password` (key `password`).

export function kubeconfigYaml (hc: HostedCluster, endpoint: { host: string, port: number }): string {
  const cluster = hc.metadata.name
  const token = createHash('sha256').update(`${hc.metadata.uid ?? ''}/${cluster}/admin`).digest('base64url')
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: cluster, cluster: { server: `https://${endpoint.host}:${endpoint.port}` } }],
    users: [{ name: 'admin', user: { token: `sha256~${token}` } }],
    contexts: [{ name: 'admin', context: { cluster, user: 'admin', namespace: 'default' } }],
    'current-context': 'admin',
    preferences: {}
  })
}

// The installer's kubeadmin password shape: four groups of five characters from [2-9a-zA-Z] minus
// look-alikes, joined by dashes (23 characters).
const ALPHABET = '23456789abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ'

export function kubeadminPassword (entropy: Buffer): string {
  const chars: string[] = []
  for (let i = 0; i < 20; i++) chars.push(ALPHABET[entropy[i % entropy.length] % ALPHABET.length])
  return [0, 5, 10, 15].map((i) => chars.slice(i, i + 5).join('')).join('-')
}
