import type { JobPolicy } from '../../shared/jobs/policy.ts'
import { clusterDestroyJob } from './jobs/cluster-destroy.ts'
import type { ProcessorDefinition } from './worker.ts'

// The job kinds this build can run. Each kind lives in its own module under services/worker/jobs/.
export const processors: ProcessorDefinition[] = [clusterDestroyJob]

// Stages and retry policy per kind, for the api side that submits the jobs.
export const jobPolicies: JobPolicy[] = processors.flatMap(p => p.policy ? [p.policy] : [])
