import { compareNewestFirst, type BackupEntry } from './catalogue.ts'

export interface Retention {
  keepLast?: number
  maxAgeDays?: number
}

const DAY_MS = 24 * 3600 * 1000

// The entries a schedule's retention removes: everything beyond the newest keepLast, and everything
// older than maxAgeDays. With both rules an entry goes when either says so.
export function selectPrunable (entries: BackupEntry[], retention: Retention, now: Date): BackupEntry[] {
  const sorted = [...entries].sort(compareNewestFirst)
  return sorted.filter((e, i) => {
    if (retention.keepLast !== undefined && i >= retention.keepLast) return true
    if (retention.maxAgeDays !== undefined && now.getTime() - Date.parse(e.createdAt) > retention.maxAgeDays * DAY_MS) return true
    return false
  })
}
