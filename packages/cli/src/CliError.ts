/**
 * What the `baliza` command reports instead of a stack trace, and the exit code of each kind of failure.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * Why a command failed:
 * - `Input`: bad arguments (an unknown asset, a bad date, a write statement given to `query`) — exit 2;
 * - `Database`: the database file is locked by another process or cannot be opened — exit 3;
 * - `Failed`: the work ran and some of it failed (the summary says which) — exit 1.
 *
 * @since 0.1.0
 * @category models
 */
export const Reason = Schema.Literal("Input", "Database", "Failed")

/**
 * @since 0.1.0
 * @category models
 */
export type Reason = typeof Reason.Type

/**
 * @since 0.1.0
 * @category errors
 */
export class CliError extends Schema.TaggedError<CliError>()("CliError", {
  reason: Reason,
  message: Schema.String
}) {}

/**
 * @since 0.1.0
 * @category constructors
 */
export const input = (message: string): CliError => new CliError({ reason: "Input", message })

/**
 * @since 0.1.0
 * @category constructors
 */
export const database = (message: string): CliError => new CliError({ reason: "Database", message })

/**
 * @since 0.1.0
 * @category constructors
 */
export const failed = (message: string): CliError => new CliError({ reason: "Failed", message })

/**
 * The process exit code of a failure.
 *
 * @since 0.1.0
 * @category utils
 */
export const exitCode = (reason: Reason): number => reason === "Failed" ? 1 : reason === "Input" ? 2 : 3
