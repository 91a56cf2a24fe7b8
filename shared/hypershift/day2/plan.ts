import type { ReleaseVersionResolver } from './release.ts'

export interface PlanContext {
  // Minors the HyperShift operator can deploy, e.g. ['4.19', '4.18', …] (ConfigMap hypershift/supported-versions)
  supportedVersions: string[]
  now: Date
  // Version of a release image the tag does not tell (digests); without it those checks become warnings
  releaseVersion?: ReleaseVersionResolver
}

// A JSON merge patch (RFC 7386) for the object, and what the caller should know about its effects.
export interface PatchPlan {
  patch: { metadata?: { labels?: Record<string, string | null>, annotations?: Record<string, string | null> }, spec?: Record<string, unknown> }
  warnings: string[]
}

export const ANNOTATION_FORCE_UPGRADE_TO = 'hypershift.openshift.io/force-upgrade-to'
export const ANNOTATION_RESTART_DATE = 'hypershift.openshift.io/restart-date'
