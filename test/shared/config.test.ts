import t from 'tap'
import { ConfigError, loadConfig } from '../../shared/config.ts'

t.test('defaults serve the embedded mode', async t => {
  const c = loadConfig({})
  t.equal(c.REDIS_URL, 'redis://127.0.0.1:6379')
  t.equal(c.KUBECONFIG, '', 'empty = the embedded twin')
  t.equal(c.S3_ENDPOINT, '', 'empty = the embedded s3rver')
  t.equal(c.PORT, 8080)
  t.equal(c.SIM_SEED_DEMO, true)
})

t.test('values are coerced to their types', async t => {
  const c = loadConfig({ PORT: '9090', SIM_SEED_DEMO: 'false', SIM_STEP_MS: '25' })
  t.equal(c.PORT, 9090)
  t.equal(c.SIM_SEED_DEMO, false)
  t.equal(c.SIM_STEP_MS, 25)
})

t.test('a wrong value names the variable and the value in one line', async t => {
  const err = t.throws(() => loadConfig({ PORT: 'eighty' })) as Error
  t.type(err, ConfigError)
  t.match(err.message, /^invalid configuration: PORT must be integer \(got "eighty"\)$/)
  t.notMatch(err.message, /\n/)
})

t.test('every wrong variable is reported, enums list their values', async t => {
  const err = t.throws(() => loadConfig({ LOG_LEVEL: 'loud', REDIS_URL: 'http://x', PORT: '70000' })) as Error
  t.match(err.message, /LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent \(got "loud"\)/)
  t.match(err.message, /REDIS_URL must match pattern/)
  t.match(err.message, /PORT must be <= 65535/)
})

t.test('unrelated environment variables are ignored', async t => {
  const c = loadConfig({ HOME: '/root', SOMETHING_ELSE: 'x' })
  t.notOk('HOME' in c)
})
