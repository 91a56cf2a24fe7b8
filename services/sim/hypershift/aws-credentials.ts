// An AWS shared credentials file (the `credentials` key of HyperShift's S3 Secrets): the [default]
// profile, or the only one there is.

export interface AwsCredentials { accessKeyId: string, secretAccessKey: string, sessionToken?: string, endpointUrl?: string }

export function parseAwsCredentials (text: string): AwsCredentials | null {
  const profiles = new Map<string, Record<string, string>>()
  let current: Record<string, string> | undefined
  for (const raw of text.split(/\r?\n/)) {
    const l = raw.trim()
    if (l === '' || l.startsWith('#') || l.startsWith(';')) continue
    const section = /^\[\s*(?:profile\s+)?([^\]]+?)\s*\]$/.exec(l)
    if (section !== null) {
      profiles.set(section[1], current = {})
      continue
    }
    const eq = l.indexOf('=')
    if (eq > 0 && current !== undefined) current[l.slice(0, eq).trim().toLowerCase()] = l.slice(eq + 1).trim()
  }
  const p = profiles.get('default') ?? (profiles.size === 1 ? [...profiles.values()][0] : undefined)
  if (p?.aws_access_key_id === undefined || p.aws_secret_access_key === undefined) return null
  return { accessKeyId: p.aws_access_key_id, secretAccessKey: p.aws_secret_access_key, sessionToken: p.aws_session_token, endpointUrl: p.endpoint_url }
}
