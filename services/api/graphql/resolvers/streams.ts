import { asGraphQLError } from '../errors.ts'

// Most events a slow subscriber may have waiting; beyond that its subscription ends with an error
// rather than growing without bound.
const MAX_BUFFERED = 1000

// An async iterator over pushed events. return() (the client stopped, the socket closed) unsubscribes at
// once, even while a next() is waiting, which an async generator suspended on an await cannot do.
export function eventStream<T> (start: (push: (value: T) => void) => () => void): AsyncIterableIterator<T> {
  const buffer: T[] = []
  let waiting: ((result: IteratorResult<T>) => void) | undefined
  let failed: Error | undefined
  let done = false
  let stop: () => void = () => {}
  const finish = () => {
    if (done) return
    done = true
    stop()
    waiting?.({ value: undefined, done: true })
    waiting = undefined
  }
  stop = start(value => {
    if (done) return
    if (waiting) {
      const resolve = waiting
      waiting = undefined
      resolve({ value, done: false })
    } else if (buffer.length >= MAX_BUFFERED) {
      failed = asGraphQLError(new Error('subscriber too slow'))
      finish()
    } else {
      buffer.push(value)
    }
  })
  return {
    async next () {
      if (buffer.length > 0) return { value: buffer.shift()!, done: false }
      if (failed) throw failed
      if (done) return { value: undefined, done: true }
      return new Promise<IteratorResult<T>>(resolve => { waiting = resolve })
    },
    async return () {
      buffer.length = 0
      finish()
      return { value: undefined, done: true }
    },
    [Symbol.asyncIterator] () { return this }
  }
}

// Maps (and filters) an iterator that stops when its signal aborts (the job feed) to one that return() stops.
export function abortable<S, T> (make: (signal: AbortSignal) => AsyncGenerator<S>, map: (value: S) => T, keep: (value: T) => boolean = () => true): AsyncIterableIterator<T> {
  const abort = new AbortController()
  const source = make(abort.signal)
  return {
    async next () {
      try {
        while (true) {
          const r = await source.next()
          if (r.done) return { value: undefined, done: true }
          const value = map(r.value)
          if (keep(value)) return { value, done: false }
        }
      } catch (err) {
        throw asGraphQLError(err)
      }
    },
    async return () {
      abort.abort()
      await source.return(undefined)
      return { value: undefined, done: true }
    },
    [Symbol.asyncIterator] () { return this }
  }
}
