import { mkdir } from 'node:fs/promises'
import S3rver from 's3rver'

export interface EmbeddedS3Options {
  host: string
  port: number
  directory: string
  buckets: string[]
}

export interface EmbeddedS3 {
  endpoint: string
  port: number
  accessKeyId: string
  secretAccessKey: string
  close (): Promise<void>
}

// s3rver stands in for the cloud's S3 API; it accepts its fixed S3RVER/S3RVER key pair.
export async function startEmbeddedS3 (opts: EmbeddedS3Options): Promise<EmbeddedS3> {
  await mkdir(opts.directory, { recursive: true })
  const server = new S3rver({
    address: opts.host,
    port: opts.port,
    silent: true,
    directory: opts.directory,
    configureBuckets: opts.buckets.map(name => ({ name }))
  })
  const { port } = await server.run()
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host
  let closed: Promise<void> | undefined
  return {
    endpoint: `http://${host}:${port}`,
    port,
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    close () {
      // Keep-alive sockets from SDK clients would hold close() open until they time out.
      closed ??= (async () => {
        server.httpServer?.closeAllConnections()
        await server.close()
      })()
      return closed
    }
  }
}
