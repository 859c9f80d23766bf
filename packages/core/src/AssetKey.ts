/**
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * @since 0.1.0
 * @category models
 */
export const AssetKey = Schema.String.pipe(Schema.brand("AssetKey"))
