// The kubelet's exec stream protocol over WebSocket (k8s.io/apimachinery wsstream + remotecommand):
// binary frames whose first byte is the channel; v4+ report the outcome as a JSON metav1.Status on
// the error channel, v1–v3 as plain text and only on failure; v5 lets the client half-close stdin.
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import type { StatusError } from './status.ts'

export const CHANNEL = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4, close: 255 } as const

// in the server's order of preference
export const PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io'] as const
export type Protocol = typeof PROTOCOLS[number]

// No Sec-WebSocket-Protocol at all means the original channel protocol; offering only unknown ones is refused.
export function negotiate (offered: Set<string>): Protocol | '' | null {
  if (offered.size === 0) return ''
  return PROTOCOLS.find(p => offered.has(p)) ?? null
}

export const jsonStatus = (p: Protocol | ''): boolean => p === 'v5.channel.k8s.io' || p === 'v4.channel.k8s.io'

export function frame (channel: number, data: Buffer | string): Buffer {
  const body = typeof data === 'string' ? Buffer.from(data) : data
  const out = Buffer.allocUnsafe(body.length + 1)
  out[0] = channel
  body.copy(out, 1)
  return out
}

export function successStatus (): object {
  return { metadata: {}, status: 'Success' }
}

export function exitStatus (argv: string[], code: number): { body: object, text: string } {
  const message = `command terminated with non-zero exit code: error executing command [${argv.join(' ')}], exit code ${code}`
  return {
    body: { metadata: {}, status: 'Failure', message, reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: String(code) }] } },
    text: message
  }
}

// a command that could not be started: the runtime's error as an InternalError
export function startFailureStatus (why: string): { body: object, text: string } {
  const message = `Internal error occurred: error executing command in container: failed to exec in container: failed to start exec: OCI runtime exec failed: exec failed: unable to start container process: ${why}: unknown`
  return { body: { metadata: {}, status: 'Failure', message, reason: 'InternalError', details: { causes: [{ message }] }, code: 500 }, text: message }
}

// Refuses an upgrade request with a plain HTTP answer carrying a metav1.Status, as the API server does
// before any WebSocket handshake.
export function rejectUpgrade (socket: Duplex, err: StatusError): void {
  const body = JSON.stringify(err.body()) + '\n'
  const reason = { 400: 'Bad Request', 404: 'Not Found', 405: 'Method Not Allowed', 500: 'Internal Server Error' }[err.code] ?? 'Error'
  socket.end(`HTTP/1.1 ${err.code} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`)
}

export function offeredProtocols (req: IncomingMessage): Set<string> {
  const h = req.headers['sec-websocket-protocol']
  return new Set((h ?? '').split(',').map(s => s.trim()).filter(s => s !== ''))
}
