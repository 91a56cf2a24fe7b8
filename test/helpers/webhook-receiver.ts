import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { Webhook } from 'standardwebhooks'

interface Teardown { teardown (fn: () => unknown): void }

export interface Received {
  path: string
  headers: IncomingHttpHeaders
  body: string
  // what the reference implementation returned, or why it refused the signature
  verified?: unknown
  verifyError?: string
}

export interface ReceiverReply { status: number, body?: string, headers?: Record<string, string> }

// A real receiver on 127.0.0.1 that checks EVERY request with standardwebhooks' own verify(), using the
// secret registered for the request's path (one path per subscription).
export async function startReceiver (t: Teardown, respond: (req: Received, n: number) => ReceiverReply = () => ({ status: 200, body: 'ok' })) {
  const secrets = new Map<string, string>()
  const received: Received[] = []
  let count = 0
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', c => chunks.push(c as Buffer))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      const path = req.url ?? '/'
      const entry: Received = { path, headers: req.headers, body }
      const secret = secrets.get(path)
      try {
        if (!secret) throw new Error(`no secret registered for ${path}`)
        entry.verified = new Webhook(secret).verify(body, req.headers as Record<string, string>)
      } catch (err) {
        entry.verifyError = (err as Error).message
      }
      received.push(entry)
      const reply = respond(entry, ++count)
      res.writeHead(reply.status, { 'content-type': 'text/plain', ...reply.headers })
      res.end(reply.body ?? '')
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>(resolve => {
    server.closeAllConnections()
    server.close(() => resolve())
  }))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    base,
    url: (path: string) => `${base}${path}`,
    received,
    setSecret (path: string, secret: string) { secrets.set(path, secret) },
    async waitFor (predicate: (r: Received[]) => boolean, timeoutMs = 10_000): Promise<Received[]> {
      const end = Date.now() + timeoutMs
      while (Date.now() < end) {
        if (predicate(received)) return received
        await sleep(25)
      }
      throw new Error(`receiver did not get what was expected in ${timeoutMs} ms; got ${JSON.stringify(received.map(r => ({ path: r.path, id: r.headers['webhook-id'], body: r.body.slice(0, 120) })))}`)
    }
  }
}
