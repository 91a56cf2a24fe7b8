import { SUPPORT_MATRIX } from './matrix.ts'
import { MCE_SUPPORT_WINDOW_MINORS, readSupportedVersions } from './supported-versions.ts'
import type { VersionsResponse } from './schema.ts'

// Builds the GET /api/v1/versions body from the supported-versions ConfigMap data (undefined = no ConfigMap).
export function versionsResponse (configMapData: Record<string, string> | undefined | null): VersionsResponse {
  const matrix = structuredClone(SUPPORT_MATRIX)
  if (configMapData === undefined || configMapData === null) return { supported: null, matrix }
  const supported = readSupportedVersions(configMapData)
  return {
    supported: { ...supported, mceSupported: supported.versions.slice(0, MCE_SUPPORT_WINDOW_MINORS + 1) },
    matrix
  }
}
