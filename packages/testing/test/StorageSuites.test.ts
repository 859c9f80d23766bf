import { AssetState, EventLog } from "@baliza/core"
import { StorageSuites } from "@baliza/testing"

StorageSuites.eventLogSuite("memory", EventLog.layerMemory)
StorageSuites.assetStateSuite("memory", AssetState.layerMemory)
