/**
 * An asset's identity: `/`-separated segments such as `pncp/raw/contratacoes_publicacao`.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"

const segmentPattern = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/

const invalidReason = (input: string): string | undefined => {
  if (input.length === 0) return "an asset key cannot be empty"
  if (input.length > 512) return "an asset key is at most 512 characters"
  for (const segment of input.split("/")) {
    if (segment.length === 0) return `"${input}" has an empty segment (keys look like "pncp/raw/contratos")`
    if (!segmentPattern.test(segment)) {
      return `segment "${segment}" of "${input}" may only use letters, digits, "_", "." and "-" (and cannot start with "." or "-")`
    }
  }
  return undefined
}

/**
 * A validated asset key.
 *
 * @since 0.1.0
 * @category models
 */
export const AssetKey = Schema.String.pipe(
  Schema.filter((input) => invalidReason(input) ?? true, { identifier: "AssetKey" }),
  Schema.brand("AssetKey")
)

/**
 * @since 0.1.0
 * @category models
 */
export type AssetKey = typeof AssetKey.Type

/**
 * Raised when a string is not a valid asset key.
 *
 * @since 0.1.0
 * @category errors
 */
export class AssetKeyError extends Schema.TaggedError<AssetKeyError>()("AssetKeyError", {
  input: Schema.String,
  message: Schema.String
}) {}

/**
 * Parses a string into an `AssetKey`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const parse = (input: string): Either.Either<AssetKey, AssetKeyError> => {
  const reason = invalidReason(input)
  return reason === undefined
    ? Either.right(AssetKey.make(input, { disableValidation: true }))
    : Either.left(new AssetKeyError({ input, message: `Invalid asset key: ${reason}` }))
}

/**
 * Builds an `AssetKey`, throwing an `AssetKeyError` on invalid input. Meant for asset definitions written in code, where a bad
 * key is a programming mistake.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (input: string): AssetKey => Either.getOrThrowWith(parse(input), (error) => error)

/**
 * @since 0.1.0
 * @category constructors
 */
export const fromSegments = (segments: ReadonlyArray<string>): AssetKey => make(segments.join("/"))

/**
 * @since 0.1.0
 * @category utils
 */
export const segments = (key: AssetKey): ReadonlyArray<string> => key.split("/")

/**
 * The last segment, used as a short display name and as a table name.
 *
 * @since 0.1.0
 * @category utils
 */
export const name = (key: AssetKey): string => {
  const parts = key.split("/")
  return parts[parts.length - 1]
}

/**
 * Decodes an unknown value as an `AssetKey` (for CLI and HTTP inputs).
 *
 * @since 0.1.0
 * @category constructors
 */
export const decodeUnknown = (input: unknown): Either.Either<AssetKey, AssetKeyError> =>
  Either.mapLeft(
    Schema.decodeUnknownEither(AssetKey)(input),
    (error) =>
      new AssetKeyError({
        input: String(input),
        message: `Invalid asset key: ${ParseResult.TreeFormatter.formatErrorSync(error)}`
      })
  )
