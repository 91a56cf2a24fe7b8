import t from 'tap'
import { missedRuns, nextFire, scheduleFromConfigMap, scheduleToConfigMap, validateSchedule, type ScheduleDefinition } from '../../../shared/backups/schedule.ts'

t.test('validation', async t => {
  t.same(validateSchedule({ cron: '0 */6 * * *', retention: { keepLast: 3 } }), [])
  t.same(validateSchedule({ cron: '*/5 * * * * *', timezone: 'Europe/Paris', retention: { maxAgeDays: 7 } }), [])
  t.match(validateSchedule({ cron: 'every day', retention: { keepLast: 1 } }), [{ field: 'body.cron' }])
  t.match(validateSchedule({ cron: '0 * * * *', timezone: 'Mars/Olympus', retention: { keepLast: 1 } }), [{ field: 'body.timezone' }])
  t.match(validateSchedule({ cron: '0 * * * *', retention: {} }), [{ field: 'body.retention' }])
})

const def: ScheduleDefinition = { id: 's', cluster: 'c', namespace: 'clusters', cron: '0 * * * *', timezone: 'UTC', retention: { keepLast: 2 }, createdAt: '2026-11-22T00:30:00Z', createdBy: 'a' }

t.test('missed runs: fire times after the last run whose period has passed', async t => {
  t.equal(missedRuns(def, new Date('2026-11-22T01:10:00Z')), 0, 'the 01:00 run may still be running')
  t.equal(missedRuns(def, new Date('2026-11-22T02:10:00Z')), 1, '01:00 never ran')
  t.equal(missedRuns({ ...def, lastRunAt: '2026-11-22T01:00:02Z' }, new Date('2026-11-22T02:10:00Z')), 0, '01:00 ran')
  t.equal(missedRuns({ ...def, lastRunAt: '2026-11-22T01:00:02Z' }, new Date('2026-11-22T04:10:00Z')), 2)
  t.equal(nextFire(def, new Date('2026-11-22T01:10:00Z')).toISOString(), '2026-11-22T02:00:00.000Z')
})

t.test('ConfigMap round trip', async t => {
  const full = { ...def, lastRunAt: '2026-11-22T01:00:02Z', lastResult: 'failed' as const, lastError: 'x', lastBackupId: 'b' }
  const cm = scheduleToConfigMap(full, 'gw')
  t.equal(cm.metadata.labels?.['hcp-gateway.io/backup-schedule'], 'true')
  t.same(scheduleFromConfigMap(cm), full)
  t.equal(scheduleFromConfigMap({ data: { id: 's' } }), undefined)
})
