import type { ProcessorDefinition } from './worker.ts'

// The job kinds this build can run. Each kind lives in its own module under services/worker/jobs/
// and is added here when it lands (cluster destroy first, with the job engine).
export const processors: ProcessorDefinition[] = []
