/**
 * The commands that read what Baliza knows: `assets`, `lineage`, `status` (alias `recovery-status`), `runs`,
 * `events`.
 *
 * @since 0.1.0
 */
import type * as Asset from "@baliza/core/Asset"
import * as AssetSelection from "@baliza/core/AssetSelection"
import * as AssetState from "@baliza/core/AssetState"
import * as EventLog from "@baliza/core/EventLog"
import * as ExecutionPlan from "@baliza/core/ExecutionPlan"
import * as Materializer from "@baliza/core/Materializer"
import * as AssetPartitions from "@baliza/core/Partitions"
import type * as RunEvent from "@baliza/core/RunEvent"
import * as PageCheckpoint from "@baliza/extract/PageCheckpoint"
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as NodeFs from "node:fs"
import * as CliError from "./CliError.js"
import * as errors from "./internal/errors.js"
import * as plans from "./internal/plans.js"
import * as root from "./internal/root.js"
import * as suggest from "./internal/suggest.js"
import * as Partitions from "./Partitions.js"

const selectedAssets = (selection: string) =>
  Effect.gen(function*() {
    const graph = yield* root.graph
    yield* suggest.checkSelection(selection, graph)
    const keys = new Set(yield* root.orInput(AssetSelection.select(selection, graph)))
    return { graph, assets: graph.assets.filter((asset) => keys.has(asset.key)) }
  })

const partitionsOf = (asset: Asset.Any) => asset.partitions?.description ?? "unpartitioned"

const selectionArg = Args.text({ name: "selection" }).pipe(
  Args.withDescription("The assets, in the selection syntax of materialize --select (default *: all)"),
  Args.withDefault("*")
)

/**
 * `baliza assets [SEL]`: each asset with its layer, group, partitions and how many partitions are materialized or
 * failed.
 *
 * @since 0.1.0
 * @category commands
 */
export const assets = Command.make("assets", { selection: selectionArg }, ({ selection }) =>
  Effect.gen(function*() {
    const globals = yield* root.settings
    const { assets } = yield* selectedAssets(selection)
    // Without a database the graph is still listed, nothing materialized, and no file is created.
    const records = yield* Effect.flatMap(AssetState.AssetState, (state) => state.list()).pipe(
      // read-only, as status: an existing file is not migrated (one that needs it is exit 3)
      Effect.provide(NodeFs.existsSync(globals.db) ? root.existingStorage(globals) : AssetState.layerMemory),
      errors.mapOther
    )
    const rows = assets.map((asset) => {
      const mine = records.filter((record) => record.assetKey === asset.key)
      return {
        key: asset.key,
        layer: asset.layer ?? "",
        group: asset.group,
        partitions: partitionsOf(asset),
        materialized: mine.filter((record) => record.status === "Materialized").length,
        failed: mine.filter((record) => record.status === "Failed").length
      }
    })
    if (globals.json) return yield* Console.log(JSON.stringify(rows))
    for (const row of rows) {
      yield* Console.log(
        `${row.key.padEnd(44)} ${row.layer.padEnd(8)} ${row.group.padEnd(6)} ${
          String(row.materialized).padStart(6)
        } ok ${String(row.failed).padStart(4)} failed  ${row.partitions}`
      )
    }
  })).pipe(Command.withDescription("List the assets with their layer, group, partitions and status"))

/**
 * The lineage of assets as an indented tree (each asset under the assets it reads) or a Mermaid flowchart.
 *
 * @since 0.1.0
 * @category formatting
 */
export const lineageText = (
  assets: ReadonlyArray<Asset.Any>,
  mermaid: boolean
): string => {
  const keys = new Set(assets.map((asset) => asset.key))
  const id = (key: string) => key.replace(/[^A-Za-z0-9_]/g, "_")
  if (mermaid) {
    const lines = ["flowchart LR"]
    for (const asset of assets) {
      lines.push(`  ${id(asset.key)}["${asset.key}"]`)
      for (const dep of asset.deps) if (keys.has(dep.key)) lines.push(`  ${id(dep.key)} --> ${id(asset.key)}`)
    }
    return lines.join("\n")
  }
  const children = new Map<string, Array<string>>()
  for (const asset of assets) {
    for (const dep of asset.deps) {
      if (keys.has(dep.key)) children.set(dep.key, [...(children.get(dep.key) ?? []), asset.key])
    }
  }
  const lines: Array<string> = []
  const walk = (key: string, depth: number, path: ReadonlySet<string>) => {
    lines.push(`${"  ".repeat(depth)}${depth === 0 ? "" : "└─ "}${key}`)
    for (const child of children.get(key) ?? []) if (!path.has(child)) walk(child, depth + 1, new Set([...path, child]))
  }
  for (const asset of assets) {
    if (!asset.deps.some((dep) => keys.has(dep.key))) walk(asset.key, 0, new Set([asset.key]))
  }
  return lines.join("\n")
}

/**
 * `baliza lineage [SEL] [--mermaid]`.
 *
 * @since 0.1.0
 * @category commands
 */
export const lineage = Command.make(
  "lineage",
  {
    selection: selectionArg,
    mermaid: Options.boolean("mermaid").pipe(Options.withDescription("A Mermaid flowchart instead of a tree"))
  },
  ({ mermaid, selection }) =>
    Effect.gen(function*() {
      const globals = yield* root.settings
      const { assets } = yield* selectedAssets(selection)
      const keys = new Set(assets.map((asset) => asset.key))
      // --json: each selected asset with the selected assets it reads, the edges of the tree the text draws
      yield* globals.json
        ? Console.log(JSON.stringify(assets.map((asset) => ({
          key: asset.key,
          deps: asset.deps.map((dep) => dep.key).filter((key) => keys.has(key))
        }))))
        : Console.log(lineageText(assets, mermaid))
    })
).pipe(
  Command.withDescription("The asset graph: each asset under what it reads, or as Mermaid")
)

/**
 * Which partition keys `status` shows: `--partition` that key and the keys of its dimensions (`2024-07-01` shows
 * `2024-07-01|6` too, as `materialize --partition 2024-07-01` runs them); `--from`/`--to` the keys of those days (their
 * first ten characters, as `verify` reads them), of the months they cover (`2024-07`), and the unpartitioned steps,
 * which those days feed; otherwise all.
 */
const partitionFilter = (partition: Option.Option<string>, range: string | undefined) => {
  // a range of keys (`2024-07-01..2024-07-05`), as `materialize --partition` takes it: the days of --from/--to
  if (Option.isSome(partition) && partition.value.includes("..")) return partitionFilter(Option.none(), partition.value)
  if (Option.isSome(partition)) {
    return (key: string | null) => key === partition.value || (key?.startsWith(`${partition.value}|`) ?? false)
  }
  if (range === undefined) return () => true
  const [from = "", to = from] = range.split("..")
  // a month's key (`pncp/raw/atas`) when those days cover it, as `materialize` takes it
  const months = new Set(Partitions.monthsCovered(from, to))
  return (key: string | null) => {
    if (key === null) return true
    const day = key.slice(0, 10)
    if (/^\d{4}-\d{2}-\d{2}$/.test(day)) return day >= from && day <= to
    return /^\d{4}-\d{2}($|[#|])/.test(key) && months.has(key.slice(0, 7))
  }
}

// The failed steps and interrupted extractions status lists in text; a line says how many more there are.
const listed = 50

const more = (total: number) =>
  total > listed ? Console.log(`  … and ${total - listed} more (\`--json\` lists all)`) : Effect.void

const statusCommand = (name: string) =>
  Command.make(name, {
    // Without one: every asset's records, and "missing" and "stale" counted against what `materialize` runs by
    // default (the project's selection, which may leave costly assets out).
    selection: Args.text({ name: "selection" }).pipe(
      Args.withDescription(
        "The assets, in the selection syntax of materialize --select (default: every asset, missing and stale " +
          "counted over the project's default selection)"
      ),
      Args.optional
    ),
    partition: Options.text("partition").pipe(
      Options.withDescription("Only this partition key (a day: its modalidade partitions too)"),
      Options.optional
    ),
    from: Options.text("from").pipe(Options.withDescription("First day, YYYY-MM-DD (with --to)"), Options.optional),
    to: Options.text("to").pipe(Options.withDescription("Last day, YYYY-MM-DD (with --from)"), Options.optional)
  }, ({ from, partition, selection: given, to }) =>
    Effect.gen(function*() {
      const globals = yield* root.settings
      const { assets, graph } = yield* selectedAssets(Option.getOrElse(given, () => "*"))
      const selection = Option.isSome(given) ? given.value : (yield* root.project).defaultSelection
      const range = yield* Partitions.spec({ ...Partitions.noFlags, partition, from, to }, Date.now())
      const { checkpoints, elsewhere, leftover, plan, records } = yield* Effect.gen(function*() {
        const state = yield* AssetState.AssetState
        const pages = yield* PageCheckpoint.PageCheckpoint
        // Every record, read once: the selected assets' are shown, those of assets the project does not have counted
        // (a database built with `--assets`, looked at without it).
        const everything = yield* state.list()
        const selected = new Set<string>(assets.map((asset) => asset.key))
        const records = everything.filter((record) => selected.has(record.assetKey))
        const known = new Set<string>(graph.assets.map((asset) => asset.key))
        const others = everything.filter((record) => !known.has(record.assetKey))
        const elsewhere = { steps: others.length, assets: new Set(others.map((record) => record.assetKey)).size }
        // Missing and stale partitions are what a run would do: plan over the days asked, or those on record.
        // (days only: a month's key, `pncp/raw/atas`, follows from its days)
        const days = records.map((record) => record.partitionKey?.slice(0, 10) ?? "")
          .filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d))
        const spec = range ?? (days.length === 0 ?
          undefined :
          `${days.reduce((a, b) => a < b ? a : b)}..${days.reduce((a, b) => a > b ? a : b)}`)
        const planOf = (over: string) => Effect.either(Materializer.plan(graph, { selection: over, partitions: spec }))
        let plan = spec === undefined ? undefined : yield* planOf(selection)
        // One key that only some assets have (a month of `pncp/raw/atas`): count over those assets.
        if (Option.isSome(partition) && plan !== undefined && plan._tag === "Left") {
          const ctx = AssetPartitions.context({ now: Date.now() })
          const having = assets.filter((asset) =>
            asset.partitions !== undefined && Either.isRight(asset.partitions.select(partition.value, ctx))
          )
          if (having.length > 0) {
            plan = yield* planOf(
              `(${selection}) and (${having.map((asset) => JSON.stringify(asset.key)).join(" or ")})`
            )
          }
        }
        // What the last run left to do if it was interrupted or killed: `retry-failed` runs it.
        const leftover = yield* Materializer.interruptedRun(graph)
        return { records, checkpoints: yield* pages.list({ completed: false }), plan, leftover, elsewhere }
      }).pipe(Effect.provide(root.existingStorage(globals)), errors.mapOther)
      // A partition spec the user gave that cannot be planned is their mistake, as it is for materialize.
      if (range !== undefined && plan !== undefined && plan._tag === "Left" && plan.left._tag === "MaterializeError") {
        return yield* plans.planFailure(plan.left, graph, range)
      }
      const reasons = plan !== undefined && plan._tag === "Right" ? ExecutionPlan.summary(plan.right) : undefined
      const missing = reasons?.Missing ?? 0
      const stale = (reasons?.CodeVersionChanged ?? 0) + (reasons?.UpstreamChanged ?? 0)
      const wanted = partitionFilter(partition, range)
      const rows = records
        .filter((record) => wanted(record.partitionKey))
        .map((record) => ({
          asset: record.assetKey,
          partition: record.partitionKey,
          status: record.status,
          runId: record.runId,
          updatedAt: new Date(record.updatedAt).toISOString(),
          error: record.error
        }))
      const open = checkpoints.filter((checkpoint) => wanted(checkpoint.partitionKey)).map((checkpoint) => ({
        endpoint: checkpoint.endpoint,
        partition: checkpoint.partitionKey,
        lastPage: checkpoint.lastPage,
        totalPages: checkpoint.totalPages,
        pendingPages: checkpoint.pendingPages
      }))
      const leftToDo = leftover === undefined || leftover.steps.size === 0
        ? null
        : { runId: leftover.runId, steps: leftover.steps.size }
      if (globals.json) {
        return yield* Console.log(
          JSON.stringify({ steps: rows, interrupted: open, missing, stale, leftToDo, notInProject: elsewhere })
        )
      }
      const failed = rows.filter((row) => row.status === "Failed")
      yield* Console.log(
        `${rows.length} step(s) recorded${
          Option.isNone(partition) && range !== undefined ? ` for ${range} (and the unpartitioned ones)` : ""
        }: ${rows.length - failed.length} materialized, ${failed.length} failed; ` +
          `${missing} missing, ${stale} stale; ${open.length} extraction(s) interrupted mid-way`
      )
      const last = rows.reduce<string | undefined>(
        (latest, row) => latest === undefined || row.updatedAt > latest ? row.updatedAt : latest,
        undefined
      )
      if (last !== undefined) yield* Console.log(`Last update ${last}`)
      if (elsewhere.steps > 0) {
        yield* Console.log(
          `The database also holds ${elsewhere.steps} step(s) of ${elsewhere.assets} asset(s) that are not in ` +
            `${Option.getOrElse(globals.assets, () => "the PNCP pipeline")}: \`--assets\` with the module that ` +
            `defines them shows them.`
        )
      }
      if (leftToDo !== null) {
        yield* Console.log(
          `Run ${leftToDo.runId} stopped before it finished and left ${leftToDo.steps} step(s) to do: ` +
            "`baliza retry-failed` runs them."
        )
      }
      for (const row of failed.slice(0, listed)) {
        yield* Console.log(`  failed ${row.asset} ${row.partition ?? ""} (run ${row.runId}): ${row.error ?? ""}`)
      }
      yield* more(failed.length)
      for (const row of open.slice(0, listed)) {
        yield* Console.log(
          `  interrupted ${row.endpoint} ${row.partition ?? ""}: page ${row.lastPage}/${row.totalPages ?? "?"}` +
            `${row.pendingPages.length > 0 ? ` (+${row.pendingPages.length} pages past a gap)` : ""}`
        )
      }
      yield* more(open.length)
    })).pipe(Command.withDescription("Per-partition ledger: materialized, failed (why), interrupted extractions"))

/**
 * @since 0.1.0
 * @category commands
 */
export const status = statusCommand("status")

/**
 * @since 0.1.0
 * @category commands
 */
export const recoveryStatus = statusCommand("recovery-status")

const atLeastOne = (limit: number) =>
  limit < 1 ? Effect.fail(CliError.input(`--limit must be at least 1, got ${limit}.`)) : Effect.void

/**
 * `baliza runs [--limit N]`: the run history, most recent first.
 *
 * @since 0.1.0
 * @category commands
 */
export const runs = Command.make("runs", {
  limit: Options.integer("limit").pipe(
    Options.withDefault(20),
    Options.withDescription("How many runs, most recent first (default 20)")
  )
}, ({ limit }) =>
  Effect.gen(function*() {
    const globals = yield* root.settings
    yield* atLeastOne(limit)
    const list = yield* Effect.flatMap(EventLog.EventLog, (log) => log.runs({ limit })).pipe(
      Effect.provide(root.existingStorage(globals)),
      errors.mapOther
    )
    if (globals.json) return yield* Console.log(JSON.stringify(list))
    if (list.length === 0) return yield* Console.log("No runs yet.")
    for (const run of list) {
      yield* Console.log(
        `${run.runId}  ${run.status.padEnd(11)} ${new Date(run.startedAt).toISOString()}  ${run.succeeded} ok, ` +
          `${run.failed} failed, ${run.skipped} skipped; ${run.plannedSteps} planned to run  ${run.selection}` +
          `${run.partitions === null ? "" : ` [${run.partitions}]`}`
      )
    }
  })).pipe(Command.withDescription("The run history from the event log"))

// Events are read this many at a time: a run's whole log is printed without holding it in memory.
const eventPage = 1000

/**
 * `baliza events RUN_ID [--limit N]`: every event of a run, read a page at a time; with `--limit`, the first N and a
 * line on stderr saying how many more there are.
 *
 * @since 0.1.0
 * @category commands
 */
export const events = Command.make("events", {
  runId: Args.text({ name: "run-id" }).pipe(Args.withDescription("The run's id, as `baliza runs` lists it")),
  limit: Options.integer("limit").pipe(
    Options.withDescription("Only the first N events (default all; a line on stderr says how many more)"),
    Options.optional
  )
}, ({ limit, runId }) =>
  Effect.gen(function*() {
    const globals = yield* root.settings
    if (Option.isSome(limit)) yield* atLeastOne(limit.value)
    const most = Option.getOrElse(limit, () => Infinity)
    const print = ({ event, id }: RunEvent.StoredEvent) => {
      if (globals.json) return Console.log(JSON.stringify({ id, ...event }))
      const step = "assetKey" in event
        ? ` ${event.assetKey}${event.partitionKey === null ? "" : `[${event.partitionKey}]`}`
        : ""
      const detail = "error" in event ? ` ${event.error}` : "message" in event ? ` ${String(event.message)}` : ""
      return Console.log(`${id} ${new Date(event.timestamp).toISOString()} ${event._tag}${step}${detail}`)
    }
    const { left, printed } = yield* Effect.gen(function*() {
      const log = yield* EventLog.EventLog
      let printed = 0
      let left = 0
      let afterId: number | undefined = undefined
      for (;;) {
        const page: ReadonlyArray<RunEvent.StoredEvent> = yield* log.query({ runId, afterId, limit: eventPage })
        for (const stored of page) {
          if (printed < most) {
            yield* print(stored)
            printed++
          } else {
            left++
          }
        }
        if (page.length < eventPage) return { printed, left }
        afterId = page[page.length - 1]!.id
      }
    }).pipe(Effect.provide(root.existingStorage(globals)), errors.mapOther)
    if (printed === 0) return yield* CliError.input(`No events for run "${runId}" (\`baliza runs\` lists them).`)
    if (left > 0) {
      yield* Console.error(`baliza: ${left} more event(s) of run ${runId} after these ${printed} (--limit ${most}).`)
    }
  })).pipe(Command.withDescription("Every event of one run"))
