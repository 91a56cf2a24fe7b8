// Value syntax the day-2 schemas and rules need beyond shared/hypershift/rules.

// metav1.Duration as Go's time.ParseDuration reads it: "0" or numbers with units. Signs are left out: a negative
// drain or detach timeout has no meaning.
export const GO_DURATION_PATTERN = '^(0|((\\d+(\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h))+)$'

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i

export function isRfc3339 (value: string): boolean {
  return RFC3339.test(value) && !Number.isNaN(Date.parse(value))
}
