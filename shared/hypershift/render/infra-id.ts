import { INFRA_ID_ALPHABET, INFRA_ID_MAX_LEN, INFRA_ID_RANDOM_LEN } from './defaults.ts'

// support/infraid/infraid.go generateInfraID (a copy of the installer's cluster ID): sanitise the name,
// squeeze dashes, cut to leave room for "-xxxxx", trim trailing dashes, append 5 random characters
// from k8s.io/apimachinery/pkg/util/rand's alphabet.
export function generateInfraId (clusterName: string, random: (bytes: number) => Buffer): string {
  const maxBase = INFRA_ID_MAX_LEN - (INFRA_ID_RANDOM_LEN + 1)
  let base = clusterName.replace(/[^A-Za-z0-9-]/g, '-').replace(/-{2,}/g, '-')
  if (base.length > maxBase) base = base.slice(0, maxBase)
  base = base.replace(/-+$/, '')
  const bytes = random(INFRA_ID_RANDOM_LEN)
  let suffix = ''
  for (let i = 0; i < INFRA_ID_RANDOM_LEN; i++) suffix += INFRA_ID_ALPHABET[bytes[i] % INFRA_ID_ALPHABET.length]
  return `${base}-${suffix}`
}
