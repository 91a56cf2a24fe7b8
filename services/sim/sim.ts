import { existsSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Config } from '../../shared/config.ts'
import { startKubeServer, type KubeServer } from './kube/server.ts'
import { startHypershiftSim, type HypershiftSim } from './hypershift/index.ts'
import { startEmbeddedS3, type EmbeddedS3 } from './s3.ts'

export type SimLog = (level: 'info' | 'warn' | 'error', msg: string, extra?: object) => void

export interface Sim {
  kubeUrl: string
  kubeconfigPath: string
  kubeconfigYaml: string
  s3: EmbeddedS3
  close (): Promise<void>
}

const repoRoot = fileURLToPath(new URL('../../', import.meta.url))

// '' means "the reference CRDs beside the repository when they are there", so a clone next to
// ../shared validates like a real cluster and a bare clone still runs (unvalidated, and says so).
export function resolveCrdDir (setting: string): string | null {
  if (setting === 'none') return null
  if (setting === '') {
    const beside = resolve(repoRoot, '..', 'shared', 'crds')
    return existsSync(beside) ? beside : null
  }
  const dir = resolve(setting)
  if (!existsSync(dir)) throw new Error(`SIM_CRD_DIR ${dir} does not exist`)
  return dir
}

export async function startSim (config: Config, log: SimLog): Promise<Sim> {
  const twinDir = resolve(config.DATA_DIR, 'twin')
  await mkdir(twinDir, { recursive: true })
  const advertiseHost = config.SIM_ADVERTISE_HOST || config.SIM_HOST
  if (config.SIM_ADVERTISE_HOST && config.SIM_KUBE_PORT === 0) {
    throw new Error('SIM_ADVERTISE_HOST needs a fixed SIM_KUBE_PORT: other hosts cannot find a random port')
  }
  const crdDir = resolveCrdDir(config.SIM_CRD_DIR)

  const closers: Array<() => Promise<void>> = []
  const close = async () => {
    for (const c of closers.reverse()) await c().catch(err => log('warn', 'sim close step failed', { err: (err as Error).message }))
  }
  try {
    const kube: KubeServer = await startKubeServer({
      host: config.SIM_HOST,
      port: config.SIM_KUBE_PORT,
      crdDir,
      advertiseUrl: config.SIM_ADVERTISE_HOST ? `http://${advertiseHost}:${config.SIM_KUBE_PORT}` : undefined,
      log
    })
    closers.push(() => kube.close())
    const s3 = await startEmbeddedS3({
      host: config.SIM_HOST,
      port: config.SIM_S3_PORT,
      directory: resolve(config.DATA_DIR, 's3'),
      buckets: [config.S3_BUCKET]
    })
    closers.push(() => s3.close())
    const kubeconfigYaml = kube.kubeconfig()
    const hypershift: HypershiftSim = await startHypershiftSim({
      kubeconfig: kubeconfigYaml,
      timing: { stepMs: config.SIM_STEP_MS },
      seedDemo: config.SIM_SEED_DEMO,
      log
    })
    closers.push(() => hypershift.close())

    // Other processes (a separate api/worker, kubectl) find the twin through these files.
    const kubeconfigPath = join(twinDir, 'kubeconfig')
    await writeFile(kubeconfigPath, kubeconfigYaml, { mode: 0o600 })
    await writeFile(join(twinDir, 'endpoints.json'), JSON.stringify({ kube: kube.url, s3: s3.endpoint }, null, 2) + '\n')
    log('info', `twin Kubernetes API at ${kube.url} (kubeconfig ${kubeconfigPath}), S3 at ${s3.endpoint}`)
    if (crdDir) {
      const v = kube.validation
      log('info', `twin validates custom resources against ${v.crdsLoaded} CRDs from ${crdDir}; CEL evaluates ${v.evaluableRules} of ${v.rules} rules`)
    } else {
      log('warn', 'twin serves HyperShift kinds UNVALIDATED: no CRD directory (set SIM_CRD_DIR or place ../shared/crds beside the repo)')
    }
    return { kubeUrl: kube.url, kubeconfigPath, kubeconfigYaml, s3, close }
  } catch (err) {
    await close()
    throw err
  }
}
