import t from 'tap'
import { createHash } from 'node:crypto'
import { Writable } from 'node:stream'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { Exec, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node'
import type { V1Status } from '@kubernetes/client-node'
import WebSocket from 'ws'
import { execInPod } from '../../../../services/sim/etcd/exec-client.ts'
import type { WebSocketInterface } from '../../../../services/sim/etcd/exec-client.ts'
import { ETCDCTL, G, NS, startEtcdTwin } from '../../../helpers/etcd-twin.ts'

const MERGE = setHeaderOptions('Content-Type', PatchStrategy.MergePatch)
setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void
const SIZE = 64 * 1024 * 1024
const twin = await startEtcdTwin(t)
await twin.createCluster('ex', { annotations: { 'sim.hcp-gateway.io/etcd-db-size': '64Mi' } })
await twin.waitEtcdReady('ex')
const CP = `${NS}-ex`
const execUrl = (pod: string, query: string) => `${twin.kube.url.replace('http', 'ws')}/api/v1/namespaces/${CP}/pods/${pod}/exec?${query}`

// Exec resolves when the socket opens: wait for the status callback (or the socket closing without one)
async function clientNodeExec (exec: Exec, command: string[]) {
  let out = ''
  const stdout = new Writable({ write (c, _e, cb) { out += String(c); cb() } })
  let statusCb!: (s: V1Status | null) => void
  const status = new Promise<V1Status | null>(resolve => { statusCb = resolve })
  const ws = await exec.exec(CP, 'etcd-0', 'etcd', command, stdout, null, null, false, (s) => statusCb(s))
  ws.on('close', () => setImmediate(() => statusCb(null)))
  return { protocol: ws.protocol, status: await status, stdout: () => out }
}

// a WebSocket client that offers only the given subprotocols
function rawSocket (url: string, protocols: string[]) {
  const frames: Buffer[] = []
  const ws = new WebSocket(url, protocols)
  ws.on('message', (d: Buffer) => frames.push(d))
  const closed = new Promise<void>(resolve => ws.on('close', () => resolve()))
  const rejected = new Promise<{ code: number, body: Record<string, unknown> }>(resolve => {
    ws.on('unexpected-response', (_req, res) => {
      let text = ''
      res.on('data', (c: Buffer) => { text += String(c) })
      res.on('end', () => resolve({ code: res.statusCode ?? 0, body: JSON.parse(text) }))
    })
  })
  ws.on('error', () => {})
  return { ws, frames, closed, rejected }
}

t.test('client-node Exec negotiates v5 and gets a Success status', async (t) => {
  const r = await clientNodeExec(new Exec(twin.kc), ['echo', 'hello', 'twin'])
  t.equal(r.protocol, 'v5.channel.k8s.io')
  t.same(r.status, { metadata: {}, status: 'Success' })
  t.equal(r.stdout(), 'hello twin\n')
})

t.test('v4 through a custom WebSocketInterface gets the same JSON status', async (t) => {
  const v4: WebSocketInterface = {
    connect: async (path, _text, binary) => await new Promise((resolve, reject) => {
      const ws = new WebSocket(`${twin.kube.url.replace('http', 'ws')}${path}`, ['v4.channel.k8s.io'])
      ws.on('open', () => resolve(ws as never))
      ws.on('error', reject)
      ws.on('message', (d: Buffer) => { if (binary !== null && !binary(d[0], d.subarray(1))) ws.close() })
    })
  }
  const r = await clientNodeExec(new Exec(twin.kc, v4), [...ETCDCTL, 'snapshot', 'status', '/nope'])
  t.equal(r.protocol, 'v4.channel.k8s.io')
  t.same(r.status, {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${[...ETCDCTL, 'snapshot', 'status', '/nope'].join(' ')}], exit code 1`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: '1' }] }
  })
})

t.test('channel.k8s.io (v1) reports a failure as text and success as nothing', async (t) => {
  const ok = rawSocket(execUrl('etcd-0', 'container=etcd&command=echo&command=hi&stdout=true'), ['channel.k8s.io'])
  await ok.closed
  t.equal(ok.ws.protocol, 'channel.k8s.io')
  t.same(ok.frames.map(f => [f[0], String(f.subarray(1))]), [[1, 'hi\n']])
  const bad = rawSocket(execUrl('etcd-0', 'container=etcd&command=false&stdout=true'), ['channel.k8s.io'])
  await bad.closed
  t.match(String(bad.frames.find(f => f[0] === 3)?.subarray(1)), /^command terminated with non-zero exit code: .* exit code 1$/)
})

t.test('non-zero exit codes and unknown executables', async (t) => {
  const r = await twin.exec('ex', ['cat', '/etc/passwd'], { container: 'etcd-metrics' })
  t.equal(r.exitCode, 1)
  t.equal(r.stderr, 'cat: /etc/passwd: No such file or directory\n')
  const missing = await twin.exec('ex', ['bash-not-here'])
  t.equal(missing.exitCode, null)
  t.match(missing.status, { status: 'Failure', reason: 'InternalError', code: 500, message: /executable file not found in \$PATH/ })
})

t.test('refusals before the upgrade are plain Status answers', async (t) => {
  const pod = rawSocket(execUrl('etcd-7', 'container=etcd&command=ls&stdout=true'), ['v5.channel.k8s.io'])
  t.match(await pod.rejected, { code: 404, body: { kind: 'Status', status: 'Failure', reason: 'NotFound', message: 'pods "etcd-7" not found' } })
  const cmd = rawSocket(execUrl('etcd-0', 'container=etcd&stdout=true'), ['v5.channel.k8s.io'])
  t.match(await cmd.rejected, { code: 400, body: { reason: 'BadRequest', message: 'you must specify at least 1 command' } })
  const container = rawSocket(execUrl('etcd-0', 'container=nope&command=ls&stdout=true'), ['v5.channel.k8s.io'])
  t.match(await container.rejected, { code: 400, body: { message: 'container nope is not valid for pod etcd-0' } })
  const proto = rawSocket(execUrl('etcd-0', 'container=etcd&command=ls&stdout=true'), ['base64.binary.k8s.io'])
  t.match(await proto.rejected, { code: 400 })
  const plain = await fetch(execUrl('etcd-0', 'container=etcd&command=ls').replace('ws', 'http'))
  t.equal(plain.status, 400)
  t.match(await plain.json(), { reason: 'BadRequest', message: 'Upgrade request required' })
  await t.rejects(execInPod(twin.kc, { namespace: CP, pod: 'etcd-7', container: 'etcd' }, ['ls']), /404/)
})

t.test('a 64 MiB snapshot streams binary-safe with bounded memory', async (t) => {
  const save = await twin.exec('ex', [...ETCDCTL, 'snapshot', 'save', '/var/lib/data/snapshot.db'])
  t.equal(save.exitCode, 0, 'snapshot saved')
  const sum = await twin.exec('ex', ['sha256sum', '/var/lib/data/snapshot.db'])
  const size = await twin.exec('ex', ['stat', '-c', '%s', '/var/lib/data/snapshot.db'])
  t.equal(size.stdout, `${SIZE}\n`)
  const hash = createHash('sha256')
  let bytes = 0
  let nextSample = 0
  const samples: number[] = []
  // collect garbage before each sample so that only live memory counts
  const sample = () => {
    gc()
    samples.push(process.memoryUsage().rss)
  }
  sample()
  // a slow sink: the server must wait for it rather than buffer the whole file
  const sink = new Writable({
    highWaterMark: 256 * 1024,
    write (chunk: Buffer, _e, cb) {
      hash.update(chunk)
      bytes += chunk.length
      if (bytes >= nextSample) {
        sample()
        nextSample += 8 * 1024 * 1024
      }
      setImmediate(cb)
    }
  })
  const r = await twin.exec('ex', ['cat', '/var/lib/data/snapshot.db'], { stdout: sink })
  t.equal(r.exitCode, 0)
  t.equal(bytes, SIZE)
  t.equal(`${hash.digest('hex')}  /var/lib/data/snapshot.db\n`, sum.stdout, 'cat bytes match sha256sum')
  const growth = Math.max(...samples) - samples[0]
  t.ok(growth < SIZE / 4, `rss grew ${Math.round(growth / 1048576)} MiB while streaming ${SIZE / 1048576} MiB`)
})

t.test('the fail-exec-after-bytes switch drops the stream mid-file', async (t) => {
  const annotate = async (value: string | null) => await twin.custom.patchNamespacedCustomObject({
    ...G, plural: 'hostedclusters', namespace: NS, name: 'ex', body: { metadata: { annotations: { 'sim.hcp-gateway.io/fail-exec-after-bytes': value } } }
  }, MERGE)
  await annotate('1048576')
  t.teardown(() => annotate(null))
  let bytes = 0
  const sink = new Writable({ write (c: Buffer, _e, cb) { bytes += c.length; cb() } })
  sink.on('error', () => {})
  const r = await twin.exec('ex', ['cat', '/var/lib/data/snapshot.db'], { stdout: sink })
  t.equal(r.end, 'dropped')
  t.equal(r.status, null)
  t.equal(bytes, 1048576)
  t.ok(sink.destroyed, 'the sink is destroyed, not ended')
})
