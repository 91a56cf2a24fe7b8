import type { KubeObject } from '../../kube/kube-object.ts'
import { IDP_TYPES, type IdentityProvider } from './identity-provider-schema.ts'
import type { Issues } from './issues.ts'
import { dns1123SubdomainErrors } from '../rules/names.ts'

// Day-2 HostedCluster configuration: AWS tags, OAuth identity providers, additional trust bundle.

export interface ResourceTag { key: string, value: string, overridePolicy?: string }

const TAG_CHARS = /^[0-9A-Za-z_.:/=+@-]+$/

// spec.platform.aws.resourceTags (002_ch5-6 §1.7; CRD: at most 25, key 1–128 and value 1–256 of
// [0-9A-Za-z_.:/=+@-]). AWS reserves the aws: prefix and a tag set cannot repeat a key.
export function checkResourceTags (issues: Issues, warnings: string[], hc: KubeObject, tags: ResourceTag[]): void {
  const platform = hc.spec?.platform?.type
  if (platform !== 'AWS') {
    issues.add('unprocessable', 'body.aws', `resourceTags apply to AWS hosted clusters only; this cluster's platform is ${platform}`, 'platform')
    return
  }
  if (tags.length > 25) issues.add('validation', 'body.aws.resourceTags', 'at most 25 tags (AWS allows 50 per resource and OpenShift reserves 25)', 'maxItems')
  const seen = new Set<string>()
  tags.forEach((tag, i) => {
    const field = `body.aws.resourceTags[${i}]`
    if (tag.key.length < 1 || tag.key.length > 128 || !TAG_CHARS.test(tag.key)) {
      issues.add('validation', `${field}.key`, 'key must be 1-128 characters of letters, digits, and the characters _ . : / = + - @', 'pattern')
    }
    if (tag.value.length < 1 || tag.value.length > 256 || !TAG_CHARS.test(tag.value)) {
      issues.add('validation', `${field}.value`, 'value must be 1-256 characters of letters, digits, and the characters _ . : / = + - @', 'pattern')
    }
    if (tag.key.toLowerCase().startsWith('aws:')) issues.add('validation', `${field}.key`, 'the aws: prefix is reserved by AWS', 'reserved')
    if (seen.has(tag.key)) issues.add('validation', `${field}.key`, `duplicate tag key ${tag.key}`, 'unique')
    seen.add(tag.key)
  })
  warnings.push('tags are not updated on Network Load Balancers or on the default security group HCP created')
}

// The block each identity provider type needs, and what it must carry (oauth config.openshift.io/v1).
const REQUIRED: Record<string, string[]> = {
  OpenID: ['clientID', 'clientSecret', 'issuer'],
  HTPasswd: ['fileData'],
  LDAP: ['url'],
  Keystone: ['url', 'domainName'],
  BasicAuth: ['url'],
  RequestHeader: ['ca', 'headers'],
  GitHub: ['clientID', 'clientSecret'],
  GitLab: ['clientID', 'clientSecret', 'url'],
  Google: ['clientID', 'clientSecret']
}

// Providers that do not need workers: the others resolve DNS through them (002_ch7-17 §6.2).
const WORKERLESS_IDPS = new Set(['HTPasswd', 'RequestHeader'])

export function checkIdentityProviders (issues: Issues, warnings: string[], pools: KubeObject[], idps: IdentityProvider[]): void {
  const names = new Set<string>()
  idps.forEach((idp, i) => {
    const field = `body.oauth.identityProviders[${i}]`
    if (names.has(idp.name)) issues.add('validation', `${field}.name`, `duplicate identity provider name ${idp.name}`, 'unique')
    names.add(idp.name)
    const key = IDP_TYPES[idp.type as keyof typeof IDP_TYPES]
    const record = idp as Record<string, unknown>
    for (const other of Object.values(IDP_TYPES)) {
      if (other !== key && record[other] !== undefined) issues.add('validation', `${field}.${other}`, `only ${key} may be set when type is ${idp.type}`, 'oneOf')
    }
    const block = record[key] as Record<string, unknown> | undefined
    if (block === undefined) {
      issues.add('validation', `${field}.${key}`, `${key} is required when type is ${idp.type}`, 'required')
      return
    }
    for (const member of REQUIRED[idp.type]) {
      if (block[member] === undefined) issues.add('validation', `${field}.${key}.${member}`, `${member} is required`, 'required')
    }
    if (idp.type === 'OpenID' && typeof block.issuer === 'string') checkIssuer(issues, `${field}.openID.issuer`, block.issuer)
  })
  if (idps.length === 0) return
  warnings.push('configuring an identity provider removes the default kubeadmin user; secrets referenced here must be in the HostedCluster namespace')
  if (idps.every(idp => WORKERLESS_IDPS.has(idp.type))) return
  const workers = pools.reduce((sum, np) => sum + Math.max(np.spec?.replicas ?? 0, np.spec?.autoScaling?.min ?? 0, np.status?.replicas ?? 0), 0)
  if (workers === 0) {
    issues.add('conflict', 'body.oauth.identityProviders', 'this identity provider needs at least one NodePool replica (the OAuth server resolves DNS through the workers); only HTPasswd and RequestHeader work without', 'workers-required')
  }
}

// The issuer "must use https and have no query or fragment" (002_ch7-17 §6.2 callout 9).
function checkIssuer (issues: Issues, field: string, issuer: string): void {
  let url: URL
  try {
    url = new URL(issuer)
  } catch {
    issues.add('validation', field, 'must be an https URL', 'format')
    return
  }
  if (url.protocol !== 'https:' || url.search !== '' || url.hash !== '' || url.username !== '') {
    issues.add('validation', field, 'must be an https URL without query, fragment or user info', 'format')
  }
}

// spec.additionalTrustBundle: a ConfigMap in the HostedCluster namespace with a ca-bundle.crt key (002_ch5-6 §5 #27).
export function checkTrustBundle (issues: Issues, warnings: string[], name: string | null): void {
  if (name !== null) {
    const errors = dns1123SubdomainErrors(name, 'body.additionalTrustBundle')
    issues.addAll('validation', errors)
    if (errors.length === 0) warnings.push(`ConfigMap ${name} must be in the HostedCluster namespace and hold a PEM bundle under the key ca-bundle.crt`)
  }
  warnings.push('changing the additional trust bundle rolls out every NodePool of the cluster')
}
