import t from 'tap'
import { createBackoff } from '../../../shared/kube/backoff.ts'
import { compareResourceVersions } from '../../../shared/kube/resource-version.ts'

t.test('exponential, capped, jittered, resettable', async t => {
  const mid = createBackoff({ initialMs: 100, maxMs: 1000, random: () => 0.5 })
  t.same([mid.next(), mid.next(), mid.next(), mid.next(), mid.next(), mid.next()], [100, 200, 400, 800, 1000, 1000])
  t.equal(mid.attempts(), 6)
  mid.reset()
  t.equal(mid.next(), 100)
  const low = createBackoff({ initialMs: 100, jitter: 0.5, random: () => 0 })
  const high = createBackoff({ initialMs: 100, maxMs: 120, jitter: 0.5, random: () => 1 })
  t.equal(low.next(), 50, 'jitter can shorten')
  t.equal(high.next(), 120, 'but never beyond the cap')
  const d = createBackoff().next()
  t.ok(d >= 200 && d <= 300, `defaults: 250 ms ± 20 % (${d})`)
})

t.test('resourceVersion order', async t => {
  t.equal(compareResourceVersions('10', '10'), 0)
  t.ok(compareResourceVersions('9', '10') < 0, 'numeric, not lexical')
  t.ok(compareResourceVersions('100', '99') > 0)
  t.equal(compareResourceVersions('007', '7'), 0)
  t.ok(Number.isNaN(compareResourceVersions('abc', '1')), 'opaque values cannot be ordered')
  t.equal(compareResourceVersions('abc', 'abc'), 0)
})
