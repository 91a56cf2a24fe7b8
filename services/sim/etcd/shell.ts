// What `kubectl exec` can run in the twin's pods. The etcd container of a hosted control plane gets
// etcdctl/etcdutl, curl and a handful of coreutils over its pod filesystem; every other container only
// echo/cat/true/false. `env VAR=x cmd` and `sh -c 'a && b'` (no pipes or redirections) are understood.
import { curl } from './curl.ts'
import { etcdctl } from './etcdctl.ts'
import { cat, echo, ls, mkdir, rm, sha256sum, stat } from './file-commands.ts'
import type { PodRef } from './pod-files.ts'
import { ExecStartError } from './process.ts'
import type { ProcessIO, Program } from './process.ts'
import type { EtcdCluster } from './registry.ts'
import { etcdutl } from './snapshot-commands.ts'

type Builtin = (args: string[], io: ProcessIO) => Promise<number>

const SHELLS = new Set(['sh', 'bash', '/bin/sh', '/bin/bash', '/usr/bin/sh', '/usr/bin/bash'])

// POSIX-ish word splitting with quotes; operators && || ; come back as separate words
export function splitWords (text: string): string[] | string {
  const out: string[] = []
  let cur = ''
  let has = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1)
      if (end < 0) return 'unterminated quoted string'
      cur += text.slice(i + 1, end)
      has = true
      i = end
    } else if (c === '\\' && i + 1 < text.length) {
      cur += text[++i]
      has = true
    } else if (/\s/.test(c)) {
      if (has) out.push(cur)
      cur = ''
      has = false
    } else if (c === '|' || c === '>' || c === '<' || c === '&' || c === ';' || c === '`' || c === '$') {
      const two = text.slice(i, i + 2)
      if (two === '&&' || two === '||') {
        if (has) out.push(cur)
        out.push(two)
        cur = ''
        has = false
        i++
      } else if (c === ';') {
        if (has) out.push(cur)
        out.push(';')
        cur = ''
        has = false
      } else return `the twin's shell has no pipes, redirections or expansions ('${c}')`
    } else {
      cur += c
      has = true
    }
  }
  if (has) out.push(cur)
  return out
}

function stripEnv (argv: string[], env: Record<string, string>): string[] {
  let rest = argv
  if (rest[0] === 'env' || rest[0] === '/usr/bin/env') rest = rest.slice(1)
  while (rest.length > 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(rest[0])) {
    const eq = rest[0].indexOf('=')
    env[rest[0].slice(0, eq)] = rest[0].slice(eq + 1)
    rest = rest.slice(1)
  }
  return rest
}

function makeProgram (builtins: Record<string, Builtin>): Program {
  async function runOne (argv: string[], io: ProcessIO): Promise<number> {
    const env = { ...io.env }
    const words = stripEnv(argv, env)
    if (words.length === 0) return 0
    const sub = { ...io, env }
    const name = words[0]
    if (SHELLS.has(name)) return await runShell(words.slice(1), sub)
    const fn = builtins[name] ?? builtins[name.slice(name.lastIndexOf('/') + 1)]
    if (fn === undefined) throw new ExecStartError(`exec: "${name}": executable file not found in $PATH`)
    return await fn(words.slice(1), sub)
  }

  async function runShell (args: string[], io: ProcessIO): Promise<number> {
    if (args[0] !== '-c' || args[1] === undefined) {
      await io.stderr('sh: the twin only runs `sh -c <command>`\n')
      return 2
    }
    const words = splitWords(args[1])
    if (typeof words === 'string') {
      await io.stderr(`sh: -c: ${words}\n`)
      return 2
    }
    let code = 0
    let cmd: string[] = []
    let skip = false
    const flush = async (op: string | undefined): Promise<void> => {
      if (!skip && cmd.length > 0) {
        try {
          code = await runOne(cmd, io)
        } catch (err) {
          if (!(err instanceof ExecStartError)) throw err
          await io.stderr(`sh: line 1: ${cmd[0]}: command not found\n`)
          code = 127
        }
      }
      cmd = []
      skip = (op === '&&' && code !== 0) || (op === '||' && code === 0)
    }
    for (const w of words) {
      if (w === '&&' || w === '||' || w === ';') await flush(w)
      else cmd.push(w)
    }
    await flush(undefined)
    return code
  }

  return runOne
}

export function etcdContainerProgram (cluster: EtcdCluster, pod: PodRef): Program {
  const files = cluster.files
  return makeProgram({
    etcdctl: (a, io) => etcdctl(a, io, cluster, pod),
    etcdutl: (a, io) => etcdutl(a, io, cluster, pod),
    curl: (a, io) => curl(a, io, cluster, pod),
    cat: (a, io) => cat(a, io, files, pod),
    ls: (a, io) => ls(a, io, files, pod),
    rm: (a, io) => rm(a, io, files, pod),
    mkdir: (a, io) => mkdir(a, io, files, pod),
    stat: (a, io) => stat(a, io, files, pod),
    sha256sum: (a, io) => sha256sum(a, io, files, pod),
    echo,
    true: async () => 0,
    false: async () => 1
  })
}

export function minimalProgram (): Program {
  return makeProgram({
    echo,
    cat: async (args, io) => {
      for (const p of args) await io.stderr(`cat: ${p}: No such file or directory\n`)
      return args.length > 0 ? 1 : 0
    },
    true: async () => 0,
    false: async () => 1
  })
}
