import { AssetKey } from "@baliza/core"
console.log(AssetKey)
