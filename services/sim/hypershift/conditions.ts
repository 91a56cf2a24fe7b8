import type { Condition } from './types.ts'

export type ConditionInput = Omit<Condition, 'lastTransitionTime' | 'observedGeneration'>

export function findCondition (conditions: Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((c) => c.type === type)
}

export function isTrue (conditions: Condition[] | undefined, type: string): boolean {
  return findCondition(conditions, type)?.status === 'True'
}

// metav1 semantics (apimachinery meta.SetStatusCondition): lastTransitionTime moves only when the
// status flips, so repeated reconciles that reach the same verdict produce an identical list.
export function setCondition (
  conditions: Condition[],
  input: ConditionInput,
  generation: number | undefined,
  now: string
): Condition[] {
  const previous = findCondition(conditions, input.type)
  const next: Condition = {
    ...input,
    lastTransitionTime: previous !== undefined && previous.status === input.status ? previous.lastTransitionTime : now
  }
  if (generation !== undefined) next.observedGeneration = generation
  if (previous === undefined) return [...conditions, next]
  return conditions.map((c) => (c.type === input.type ? next : c))
}

export function setConditions (
  conditions: Condition[] | undefined,
  inputs: ConditionInput[],
  generation: number | undefined,
  now: string
): Condition[] {
  let out = conditions ?? []
  for (const input of inputs) out = setCondition(out, input, generation, now)
  return out
}
