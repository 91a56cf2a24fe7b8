declare module 's3rver' {
  import type { Server } from 'node:http'
  interface S3rverOptions {
    address?: string
    port?: number
    silent?: boolean
    directory: string
    configureBuckets?: Array<{ name: string, configs?: Array<string | Buffer> }>
    allowMismatchedSignatures?: boolean
    resetOnClose?: boolean
  }
  export default class S3rver {
    constructor (options: S3rverOptions)
    httpServer?: Server
    run (): Promise<{ address: string, port: number }>
    close (): Promise<void>
  }
}
