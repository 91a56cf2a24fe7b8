import type { ObjectStoreSettings } from '../storage/s3-client.ts'
import type { UploadSettings } from './object-store.ts'
import type { PodRef } from './pod-exec.ts'
import type { Copied, CopyTarget } from './pod-to-store.ts'

// The IPC between the worker and copy-child.ts ('advanced' serialization: Buffers survive).
export interface StartMessage {
  type: 'start'
  server: string
  // TLS and auth options as KubeConfig.applyToHTTPSOptions sets them, minus the agent.
  tls: Record<string, unknown>
  ref: PodRef
  path: string
  store: ObjectStoreSettings
  target: CopyTarget
  settings: UploadSettings
  timeoutMs?: number
}

export type ParentMessage = StartMessage | { type: 'abort' }

export type ChildMessage =
  | { type: 'ready' }
  | { type: 'progress', bytes: number }
  | { type: 'done', copied: Copied, maxRssBytes: number }
  | { type: 'failed', error: { code: string, message: string } }
