export * as AssetKey from "./AssetKey.js"
