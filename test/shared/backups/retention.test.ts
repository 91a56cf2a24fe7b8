import t from 'tap'
import { selectPrunable } from '../../../shared/backups/retention.ts'
import type { BackupEntry } from '../../../shared/backups/catalogue.ts'

const now = new Date('2026-11-22T00:00:00Z')
const daysAgo = (n: number) => new Date(now.getTime() - n * 86400_000).toISOString()
const e = (id: string, age: number) => ({ id, createdAt: daysAgo(age) }) as BackupEntry

t.test('keepLast, maxAgeDays, and both', async t => {
  const all = [e('d3', 3), e('d1', 1), e('d10', 10), e('d5', 5)]
  t.same(selectPrunable(all, { keepLast: 2 }, now).map(x => x.id), ['d5', 'd10'])
  t.same(selectPrunable(all, { maxAgeDays: 4 }, now).map(x => x.id), ['d5', 'd10'])
  t.same(selectPrunable(all, { keepLast: 3, maxAgeDays: 2 }, now).map(x => x.id), ['d3', 'd5', 'd10'], 'either rule removes')
  t.same(selectPrunable(all, { keepLast: 10 }, now), [])
})
