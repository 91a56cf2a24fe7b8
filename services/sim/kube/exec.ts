// pods/exec: the API server's checks on the upgrade request, then a kubelet-like session that runs a
// simulated command and streams its output with TCP backpressure (a large `cat` never piles up in
// memory: the next chunk is generated only once the socket has taken the previous ones).
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer } from 'ws'
import type { WebSocket } from 'ws'
import { createEtcdRegistry, ANNOTATION_FAIL_EXEC_AFTER } from '../etcd/registry.ts'
import type { EtcdRegistry } from '../etcd/registry.ts'
import { ExecStartError } from '../etcd/process.ts'
import type { ProcessIO, Program } from '../etcd/process.ts'
import { etcdContainerProgram, minimalProgram } from '../etcd/shell.ts'
import {
  CHANNEL, exitStatus, frame, jsonStatus, negotiate, offeredProtocols, rejectUpgrade, startFailureStatus, successStatus
} from './exec-protocol.ts'
import type { Protocol } from './exec-protocol.ts'
import { badRequest, methodNotAllowed, notFound, pathNotFound, StatusError } from './status.ts'
import type { Store } from './store.ts'
import type { KubeObject, Log } from './types.ts'

// bytes the socket may hold before the command waits for it to drain
const HIGH_WATER = 1024 * 1024
const PODS = { group: '', plural: 'pods' }
const EXEC_PATH = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/exec$/

export interface ExecEndpoint {
  etcd: EtcdRegistry
  upgrade (req: IncomingMessage, socket: Duplex, head: Buffer): void
  close (): void
}

export function isExecPath (pathname: string): boolean {
  return EXEC_PATH.test(pathname)
}

interface Session { argv: string[], pod: string, program: Program, failAfterBytes: number | null, stdin: boolean, stdout: boolean, stderr: boolean }

const truthy = (v: string | null) => v === 'true' || v === '1'

export function createExecEndpoint (opts: { store: Store, log: Log }): ExecEndpoint {
  const etcd = createEtcdRegistry(opts.store)
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, handleProtocols: (offered) => negotiate(offered) ?? false })
  const open = new Set<WebSocket>()

  function prepare (req: IncomingMessage): Session {
    const url = new URL(req.url ?? '/', 'http://twin')
    const m = EXEC_PATH.exec(url.pathname)
    if (m === null) throw pathNotFound()
    if (req.method !== 'GET' && req.method !== 'POST') throw methodNotAllowed()
    const [namespace, name] = [decodeURIComponent(m[1]), decodeURIComponent(m[2])]
    const pod = opts.store.get('pods', namespace, name)
    if (pod === undefined) throw notFound(PODS, name)
    const q = url.searchParams
    const argv = q.getAll('command')
    if (argv.length === 0) throw badRequest('you must specify at least 1 command')
    const s = { stdin: truthy(q.get('stdin')), stdout: truthy(q.get('stdout')), stderr: truthy(q.get('stderr')) }
    if (!s.stdin && !s.stdout && !s.stderr) throw badRequest('you must specify at least one of stdin, stdout, stderr')
    const containers = ((pod.spec as { containers?: Array<{ name: string }> } | undefined)?.containers ?? []).map(c => c.name)
    let container = q.get('container') ?? ''
    if (container === '') {
      if (containers.length !== 1) throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]`)
      container = containers[0]
    }
    if (!containers.includes(container)) throw badRequest(`container ${container} is not valid for pod ${name}`)
    if (pod.metadata.deletionTimestamp !== undefined) throw badRequest(`pod ${name} is terminating`)
    return { argv, pod: name, ...s, ...programFor(namespace, pod, container) }
  }

  function programFor (namespace: string, pod: KubeObject, container: string): { program: Program, failAfterBytes: number | null } {
    const cluster = container === 'etcd' && pod.metadata.labels?.app === 'etcd' ? etcd.cluster(namespace) : undefined
    if (cluster === undefined) return { program: minimalProgram(), failAfterBytes: null }
    const limit = Number(cluster.annotations()[ANNOTATION_FAIL_EXEC_AFTER])
    return {
      program: etcdContainerProgram(cluster, { name: pod.metadata.name ?? '', uid: pod.metadata.uid ?? '' }),
      failAfterBytes: Number.isFinite(limit) && limit >= 0 ? limit : null
    }
  }

  async function run (ws: WebSocket, session: Session): Promise<void> {
    const protocol = ws.protocol as Protocol | ''
    const abort = new AbortController()
    ws.on('close', () => abort.abort())
    ws.on('error', () => abort.abort())
    // stdin and resize frames are accepted and ignored: no simulated command reads them
    ws.on('message', () => {})
    let stdoutBytes = 0

    const send = (data: Buffer): Promise<void> => new Promise((resolve) => {
      if (ws.readyState !== ws.OPEN) {
        abort.abort()
        resolve()
        return
      }
      const waitForDrain = ws.bufferedAmount > HIGH_WATER
      ws.send(data, { binary: true }, (err) => {
        if (err !== undefined && err !== null) abort.abort()
        if (waitForDrain) resolve()
      })
      if (!waitForDrain) resolve()
    })

    const io: ProcessIO = {
      signal: abort.signal,
      env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', HOSTNAME: session.pod },
      async stdout (data) {
        if (!session.stdout || abort.signal.aborted) return
        let chunk = typeof data === 'string' ? Buffer.from(data) : data
        const limit = session.failAfterBytes
        if (limit !== null && stdoutBytes + chunk.length > limit) {
          // the failure switch: the connection dies mid-stream, without a status
          chunk = chunk.subarray(0, Math.max(0, limit - stdoutBytes))
          if (chunk.length > 0) await send(frame(CHANNEL.stdout, chunk))
          await new Promise<void>(resolve => setImmediate(resolve))
          ws.terminate()
          abort.abort()
          return
        }
        stdoutBytes += chunk.length
        await send(frame(CHANNEL.stdout, chunk))
      },
      async stderr (data) {
        if (session.stderr && !abort.signal.aborted) await send(frame(CHANNEL.stderr, data))
      }
    }

    let outcome: { body: object, text: string } | null
    try {
      const code = await session.program(session.argv, io)
      outcome = code === 0 ? null : exitStatus(session.argv, code)
    } catch (err) {
      if (!(err instanceof ExecStartError)) opts.log('error', 'kube twin exec command crashed', { argv: session.argv, err: String((err as Error).stack ?? err) })
      outcome = startFailureStatus(err instanceof ExecStartError ? err.message : String(err))
    }
    if (abort.signal.aborted || ws.readyState !== ws.OPEN) return
    if (jsonStatus(protocol)) await send(frame(CHANNEL.error, JSON.stringify(outcome?.body ?? successStatus())))
    else if (outcome !== null) await send(frame(CHANNEL.error, outcome.text))
    ws.close(1000)
  }

  return {
    etcd,
    upgrade (req, socket, head) {
      let session: Session
      try {
        session = prepare(req)
        if (negotiate(offeredProtocols(req)) === null) throw badRequest(`unable to upgrade: no supported protocol among ${[...offeredProtocols(req)].join(', ')}`)
      } catch (err) {
        rejectUpgrade(socket, err instanceof StatusError ? err : badRequest(String(err)))
        return
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        open.add(ws)
        ws.on('close', () => open.delete(ws))
        run(ws, session).catch((err: unknown) => {
          opts.log('error', 'kube twin exec session failed', { err: String(err) })
          ws.terminate()
        })
      })
    },
    close () {
      for (const ws of open) ws.terminate()
      etcd.close()
      wss.close()
    }
  }
}
