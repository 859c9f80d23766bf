/**
 * What a run's data sources are doing, for live progress: when a `SourceMonitor` is in context, the materializer
 * watches every run with it and appends a `SourceProgress` event — every `interval` while the figures change, and once
 * more before `RunFinished` — so the figures stream to the UI and stay in the run's log.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import type { SourceFigures } from "./RunEvent.js"

/**
 * @since 0.1.0
 * @category models
 */
export interface SourceMonitorService {
  /**
   * Starts watching a run and gives the sampler of its figures (what the sources did since the watch began). Closing
   * the scope, after the run's last event, ends the watch: a monitor may store the run's figures then.
   */
  readonly watch: (runId: string) => Effect.Effect<Effect.Effect<ReadonlyArray<SourceFigures>>, never, Scope.Scope>
  /** Time between samples. */
  readonly interval: Duration.DurationInput
}

/**
 * @since 0.1.0
 * @category tags
 */
export class SourceMonitor extends Context.Tag("@baliza/core/SourceMonitor")<SourceMonitor, SourceMonitorService>() {}
