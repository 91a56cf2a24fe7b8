// The few coreutils the backup procedures use inside the etcd container: cat, ls, rm, mkdir, stat,
// sha256sum, echo. Error texts are GNU coreutils'.
import type { EtcdCluster } from './registry.ts'
import { entrySize, entryStream, normalize } from './pod-files.ts'
import type { FileEntry, PodRef } from './pod-files.ts'
import { line, pipeOut } from './process.ts'
import type { ProcessIO } from './process.ts'
import { snapshotSha256 } from './snapshot-format.ts'
import { createHash } from 'node:crypto'

// directories of the etcd image and its volumes, so `ls`/`mkdir -p` on them behave
const IMAGE_DIRS = new Set(['/', '/tmp', '/var', '/var/lib', '/var/lib/data', '/etc', '/etc/etcd', '/etc/etcd/tls',
  '/etc/etcd/tls/etcd-ca', '/etc/etcd/tls/client', '/etc/etcd/tls/server', '/etc/etcd/tls/peer', '/usr', '/usr/bin'])

// read-only files of the image; their content is irrelevant to the twin, their presence is not
export const TLS_FILES = new Set(['/etc/etcd/tls/etcd-ca/ca.crt', '/etc/etcd/tls/client/etcd-client.crt', '/etc/etcd/tls/client/etcd-client.key'])

type Files = EtcdCluster['files']

function lookup (files: Files, pod: PodRef, path: string): FileEntry | undefined {
  return files.get(pod, path)
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
function lsTime (d: Date): string {
  const hh = String(d.getUTCHours()).padStart(2, '0')
  const mm = String(d.getUTCMinutes()).padStart(2, '0')
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${hh}:${mm}`
}

function lsLine (path: string, e: FileEntry, shown: string): string {
  return `-rw-------. 1 root root ${entrySize(e)} ${lsTime(e.mtime)} ${shown}\n`
}

export async function cat (args: string[], io: ProcessIO, files: Files, pod: PodRef): Promise<number> {
  let code = 0
  for (const p of args.filter(a => a !== '--')) {
    const e = lookup(files, pod, p)
    if (e === undefined) {
      await io.stderr(`cat: ${p}: ${isDir(files, pod, p) ? 'Is a directory' : 'No such file or directory'}\n`)
      code = 1
      continue
    }
    if (!await pipeOut(entryStream(e), io)) return 1
  }
  return code
}

function isDir (files: Files, pod: PodRef, p: string): boolean {
  return IMAGE_DIRS.has(normalize(p)) || files.isDir(pod, p)
}

export async function ls (args: string[], io: ProcessIO, files: Files, pod: PodRef): Promise<number> {
  const long = args.some(a => /^-[a-zA-Z]*l/.test(a))
  const paths = args.filter(a => !a.startsWith('-'))
  let code = 0
  for (const p of paths.length === 0 ? ['.'] : paths) {
    const e = lookup(files, pod, p)
    if (e !== undefined) {
      await io.stdout(long ? lsLine(p, e, p) : `${p}\n`)
      continue
    }
    if (!isDir(files, pod, p)) {
      await io.stderr(`ls: cannot access '${p}': No such file or directory\n`)
      code = 2
      continue
    }
    const entries = files.list(pod, p)
    const base = (q: string) => q.slice(q.lastIndexOf('/') + 1)
    if (long) {
      const blocks = entries.reduce((n, x) => n + Math.ceil(entrySize(x.entry) / 1024), 0)
      await io.stdout(`total ${blocks}\n` + entries.map(x => lsLine(x.path, x.entry, base(x.path))).join(''))
    } else if (entries.length > 0) {
      await io.stdout(entries.map(x => base(x.path)).join('\n') + '\n')
    }
  }
  return code
}

export async function rm (args: string[], io: ProcessIO, files: Files, pod: PodRef): Promise<number> {
  const flags = args.filter(a => a.startsWith('-')).join('')
  const force = flags.includes('f')
  const recursive = /[rR]/.test(flags)
  let code = 0
  for (const p of args.filter(a => !a.startsWith('-'))) {
    if (!recursive && lookup(files, pod, p) === undefined && isDir(files, pod, p)) {
      await io.stderr(`rm: cannot remove '${p}': Is a directory\n`)
      code = 1
      continue
    }
    const removed = files.remove(pod, p, recursive)
    if (removed === 0 && !force && !isDir(files, pod, p)) {
      await io.stderr(`rm: cannot remove '${p}': No such file or directory\n`)
      code = 1
    }
  }
  return code
}

export async function stat (args: string[], io: ProcessIO, files: Files, pod: PodRef): Promise<number> {
  const i = args.findIndex(a => a === '-c' || a === '--format')
  const format = i >= 0 ? args[i + 1] : undefined
  const paths = args.filter((a, j) => !a.startsWith('-') && (i < 0 || j !== i + 1))
  let code = 0
  for (const p of paths) {
    const e = lookup(files, pod, p)
    if (e === undefined) {
      await io.stderr(`stat: cannot statx '${p}': No such file or directory\n`)
      code = 1
      continue
    }
    const size = String(entrySize(e))
    await io.stdout(line(format === undefined ? `  File: ${p}\n  Size: ${size}` : format.replaceAll('%s', size).replaceAll('%n', p)))
  }
  return code
}

export async function sha256sum (args: string[], io: ProcessIO, files: Files, pod: PodRef): Promise<number> {
  let code = 0
  for (const p of args.filter(a => !a.startsWith('-'))) {
    const e = lookup(files, pod, p)
    if (e === undefined) {
      await io.stderr(`sha256sum: ${p}: No such file or directory\n`)
      code = 1
      continue
    }
    const sum = e.kind === 'snapshot' ? await snapshotSha256(e.desc) : createHash('sha256').update(e.data).digest('hex')
    await io.stdout(`${sum}  ${p}\n`)
  }
  return code
}

export async function mkdir (args: string[], io: ProcessIO, files: Files, pod: PodRef): Promise<number> {
  const parents = args.some(a => /^-[a-zA-Z]*p/.test(a))
  for (const p of args.filter(a => !a.startsWith('-'))) {
    if (lookup(files, pod, p) !== undefined || (!parents && isDir(files, pod, p))) {
      await io.stderr(`mkdir: cannot create directory '${p}': File exists\n`)
      return 1
    }
  }
  return 0
}

export async function echo (args: string[], io: ProcessIO): Promise<number> {
  const noNewline = args[0] === '-n'
  const text = (noNewline ? args.slice(1) : args).join(' ')
  await io.stdout(noNewline ? text : text + '\n')
  return 0
}

export function fileExists (files: Files, pod: PodRef, path: string): boolean {
  return TLS_FILES.has(normalize(path)) || lookup(files, pod, path) !== undefined
}
