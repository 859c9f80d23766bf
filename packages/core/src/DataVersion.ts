/**
 * Data versions: a short fingerprint of what an asset (partition) holds. A step whose new version equals its previous one lets
 * Baliza skip what is downstream; a stored version that differs from what the code and the upstream versions would produce now
 * makes the step stale.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * @since 0.1.0
 * @category models
 */
export const DataVersion = Schema.String.pipe(Schema.brand("DataVersion"))

/**
 * @since 0.1.0
 * @category models
 */
export type DataVersion = typeof DataVersion.Type

// cyrb53: a fast, well-distributed 53-bit string hash. Two seeds give ~106 bits, plenty to tell versions apart; `core` may not
// use `node:crypto`, and data versions are fingerprints, not security boundaries.
const cyrb53 = (input: string, seed: number): number => {
  let h1 = 0xdeadbeef ^ seed
  let h2 = 0x41c6ce57 ^ seed
  for (let i = 0; i < input.length; i++) {
    const ch = input.charCodeAt(i)
    h1 = Math.imul(h1 ^ ch, 2654435761)
    h2 = Math.imul(h2 ^ ch, 1597334677)
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  return 4294967296 * (2097151 & h2) + (h1 >>> 0)
}

/**
 * A deterministic fingerprint of some strings (order matters).
 *
 * @since 0.1.0
 * @category constructors
 */
export const hash = (...parts: ReadonlyArray<string>): DataVersion => {
  const input = parts.join("\u0000")
  return DataVersion.make(
    cyrb53(input, 0).toString(16).padStart(14, "0") + cyrb53(input, 0x9e3779b9).toString(16).padStart(14, "0"),
    { disableValidation: true }
  )
}

/**
 * A version that is new in every run: what a step without a code version records when it reports none. Versions are
 * compared per step, so one per run is enough to say "new".
 *
 * @since 0.1.0
 * @category constructors
 */
export const fresh = (runId: string): DataVersion => hash("run", runId)

/**
 * The version an asset's code and inputs determine: a step whose code version and upstream data versions are unchanged
 * produces the same data again.
 *
 * @since 0.1.0
 * @category constructors
 */
export const logical = (options: {
  readonly codeVersion: string
  readonly upstream: ReadonlyArray<readonly [stepId: string, version: string]>
}): DataVersion => {
  const sorted = [...options.upstream].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return hash("logical", options.codeVersion, ...sorted.map(([id, version]) => `${id}=${version}`))
}

/**
 * Why a step's stored data no longer matches its definition and inputs.
 *
 * @since 0.1.0
 * @category models
 */
export type Staleness =
  | { readonly _tag: "Fresh" }
  | { readonly _tag: "CodeVersionChanged"; readonly from: string | undefined; readonly to: string | undefined }
  | { readonly _tag: "UpstreamChanged"; readonly upstream: ReadonlyArray<string> }

/**
 * Compares what a step was built from with what it would be built from now.
 *
 * @since 0.1.0
 * @category utils
 */
export const staleness = (options: {
  readonly storedCodeVersion: string | undefined
  readonly currentCodeVersion: string | undefined
  /** Upstream step id → data version, as recorded when the step last materialized. */
  readonly storedUpstream: Readonly<Record<string, string>>
  /** Upstream step id → data version now (`undefined` when the upstream step was never materialized). */
  readonly currentUpstream: ReadonlyArray<readonly [stepId: string, version: string | undefined]>
}): Staleness => {
  if (options.storedCodeVersion !== options.currentCodeVersion) {
    return { _tag: "CodeVersionChanged", from: options.storedCodeVersion, to: options.currentCodeVersion }
  }
  const changed: Array<string> = []
  for (const [id, version] of options.currentUpstream) {
    if (version !== undefined && options.storedUpstream[id] !== version) changed.push(id)
  }
  return changed.length === 0 ? { _tag: "Fresh" } : { _tag: "UpstreamChanged", upstream: changed }
}
