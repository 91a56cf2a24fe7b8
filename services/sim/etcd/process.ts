// What a simulated command sees of its exec session: output channels that honour the socket's
// backpressure, and an abort signal for a client that went away.
import type { Readable } from 'node:stream'
import type { PodRef } from './pod-files.ts'

export interface ProcessIO {
  stdout (data: string | Buffer): Promise<void>
  stderr (data: string | Buffer): Promise<void>
  signal: AbortSignal
  env: Record<string, string>
}

export type Program = (argv: string[], io: ProcessIO) => Promise<number>

// A command that cannot start at all (kubelet reports it as an InternalError status, not an exit code).
export class ExecStartError extends Error {}

export interface ExecTarget { namespace: string, pod: PodRef, container: string }

export async function pipeOut (source: Readable, io: ProcessIO): Promise<boolean> {
  try {
    for await (const chunk of source) {
      if (io.signal.aborted) return false
      await io.stdout(chunk as Buffer)
    }
    return !io.signal.aborted
  } finally {
    source.destroy()
  }
}

export const line = (text: string): string => text.endsWith('\n') ? text : text + '\n'
