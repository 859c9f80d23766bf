/**
 * Checks attached to an asset: they run after it materializes. A failed `Error` check fails the step (and so skips what is
 * downstream); a failed `Warn` check is only recorded.
 *
 * @since 0.1.0
 */
import type * as Effect from "effect/Effect"
import type { CheckSeverity, Metadata } from "./RunEvent.js"

/**
 * What a check sees: the step it checks and what the materialization reported.
 *
 * @since 0.1.0
 * @category models
 */
export interface CheckContext {
  readonly runId: string
  readonly assetKey: string
  readonly partitionKey: string | undefined
  readonly rows: number | undefined
  readonly bytes: number | undefined
  readonly dataVersion: string
  readonly metadata: Metadata
}

/**
 * @since 0.1.0
 * @category models
 */
export interface CheckResult {
  readonly passed: boolean
  readonly message?: string
  readonly metadata?: Metadata
}

/**
 * @since 0.1.0
 * @category models
 */
export interface AssetCheck<out E = never, out R = never> {
  readonly name: string
  readonly description: string | undefined
  readonly severity: CheckSeverity
  readonly evaluate: (context: CheckContext) => Effect.Effect<CheckResult, E, R>
}

/**
 * Any check, whatever its error and requirements.
 *
 * @since 0.1.0
 * @category models
 */
export type Any = AssetCheck<unknown, unknown>

/**
 * Defines a check. `severity` defaults to `"Error"` (blocking).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = <E = never, R = never>(options: {
  readonly name: string
  readonly description?: string
  readonly severity?: CheckSeverity
  readonly evaluate: (context: CheckContext) => Effect.Effect<CheckResult, E, R>
}): AssetCheck<E, R> => ({
  name: options.name,
  description: options.description,
  severity: options.severity ?? "Error",
  evaluate: options.evaluate
})

/**
 * @since 0.1.0
 * @category constructors
 */
export const pass = (message = "ok", metadata?: Metadata): CheckResult =>
  metadata === undefined ? { passed: true, message } : { passed: true, message, metadata }

/**
 * @since 0.1.0
 * @category constructors
 */
export const fail = (message: string, metadata?: Metadata): CheckResult =>
  metadata === undefined ? { passed: false, message } : { passed: false, message, metadata }
