import * as AssetCheck from "@baliza/core/AssetCheck"
import type { Metadata } from "@baliza/core/RunEvent"
import * as Effect from "effect/Effect"

/**
 * @internal A warning check on what a step reported: it fails when the step's metadata lists something under `field`
 * (a non-empty string), with `message(listed, metadata)`, and passes otherwise.
 */
export const warnWhenListed = (options: {
  readonly name: string
  readonly description: string
  readonly field: string
  readonly message: (listed: string, metadata: Metadata) => string
}) =>
  AssetCheck.make({
    name: options.name,
    description: options.description,
    severity: "Warn",
    evaluate: ({ metadata }) => {
      const listed = metadata[options.field]
      return Effect.succeed(
        typeof listed === "string" && listed.length > 0
          ? AssetCheck.fail(options.message(listed, metadata))
          : AssetCheck.pass()
      )
    }
  })

/** @internal The first `max` items of a list, joined, and how many more there are. */
export const firstOf = (items: ReadonlyArray<string>, max: number): string =>
  items.slice(0, max).join(", ") + (items.length > max ? `, … (${items.length - max} more)` : "")
