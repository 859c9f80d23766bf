/**
 * The assets `baliza` runs: the PNCP pipeline by default, or your own with `--assets ./my-assets.ts` — a module whose
 * default export (or export named `project`) is made with {@link make}:
 *
 * ```ts no-check
 * import { Project } from "@baliza/cli"
 * import { Pipeline } from "@baliza/pncp"
 * export default Project.make({ assets: [...Pipeline.assets, myMart], defaultSelection: "group:mine" })
 * ```
 *
 * The assets run with the services `baliza` provides over the `--db` file (`Warehouse.Services`: DuckDB, the event
 * log, asset state, the extract store and the PNCP client); an asset that needs anything else provides it itself.
 *
 * @since 0.1.0
 */
import type * as Asset from "@baliza/core/Asset"
import * as AssetGraph from "@baliza/core/AssetGraph"
import type * as RunSchedule from "@baliza/core/RunSchedule"
import * as Pipeline from "@baliza/pncp/Pipeline"
import type * as Warehouse from "@baliza/pncp/Warehouse"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Predicate from "effect/Predicate"
import * as NodeFs from "node:fs"
import * as NodePath from "node:path"
import * as NodeProcess from "node:process"
import * as NodeUrl from "node:url"
import * as CliError from "./CliError.js"

/**
 * @since 0.1.0
 * @category symbols
 */
export const TypeId: unique symbol = Symbol.for("@baliza/cli/Project")

/**
 * @since 0.1.0
 * @category symbols
 */
export type TypeId = typeof TypeId

/**
 * @since 0.1.0
 * @category models
 */
export interface Project {
  readonly [TypeId]: TypeId
  /** The validated graph, or why it is not valid (which assets, and why). */
  readonly graph: Either.Either<AssetGraph.AssetGraph<unknown, Warehouse.Services>, AssetGraph.AssetGraphError>
  /** What `materialize` runs without `--select`. */
  readonly defaultSelection: string
  /** What `baliza ui` launches on a cron (besides its housekeeping). */
  readonly schedules: ReadonlyArray<RunSchedule.RunSchedule>
}

/**
 * A project of assets that need no more than the services `baliza` provides.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = <E>(options: {
  readonly assets: ReadonlyArray<Asset.Asset<E, Warehouse.Services>>
  readonly defaultSelection?: string | undefined
  readonly schedules?: ReadonlyArray<RunSchedule.RunSchedule> | undefined
}): Project => ({
  [TypeId]: TypeId,
  graph: AssetGraph.make(options.assets),
  defaultSelection: options.defaultSelection ?? "*",
  schedules: options.schedules ?? []
})

/**
 * @since 0.1.0
 * @category guards
 */
export const isProject = (u: unknown): u is Project => Predicate.hasProperty(u, TypeId)

/**
 * The PNCP pipeline: every asset; `materialize` without `--select` runs everything but the details, and `baliza ui`
 * runs {@link Pipeline.daily} and {@link Pipeline.monthly}.
 *
 * @since 0.1.0
 * @category constants
 */
export const pncp: Project = make({
  assets: Pipeline.assets,
  defaultSelection: Pipeline.withoutDetails,
  schedules: [Pipeline.daily, Pipeline.monthly]
})

/** The extensions of a TypeScript module, which node cannot import by itself. */
const typeScript = /\.(?:[cm]?ts|tsx)$/i

/**
 * tsx's loader, registered once for the process when a TypeScript module is first loaded: the published `baliza` is
 * plain JavaScript run by plain node. Registered globally rather than with `tsImport`'s namespace, so the module shares
 * this process's instances of `effect` and `@baliza/*` instead of loading its own copies.
 */
let tsx: Promise<unknown> | undefined
const registerTsx = (): Promise<unknown> => (tsx ??= import("tsx/esm/api").then((api) => api.register()))

const messageOf = (cause: unknown): string =>
  Predicate.hasProperty(cause, "message") && typeof cause.message === "string"
    // the message without a stack, whole: esbuild's says where the syntax error is on its second line
    ? cause.message.split("\n").slice(0, 6).join("\n").trim()
    : String(cause)

/**
 * The project among a module's exports: its default export, its export named `project`, or, for a CommonJS module
 * (`exports.default = …`, which `import()` puts at `default.default`), those of its `module.exports`.
 */
const projectOf = (module: Record<string, unknown>): Project | undefined =>
  [
    module.default,
    module.project,
    Predicate.hasProperty(module.default, "default") ? module.default.default : undefined,
    Predicate.hasProperty(module.default, "project") ? module.default.project : undefined
  ].find(isProject)

/**
 * Loads the project a module exports (`export default Project.make(…)` or `export const project = …`, or their
 * CommonJS `exports.default`/`exports.project`); a TypeScript module (`.ts`, `.mts`, `.cts`) is loaded with tsx. Every
 * way it can be wrong is an input error that says what to do.
 *
 * @since 0.1.0
 * @category constructors
 */
export const load = (path: string): Effect.Effect<Project, CliError.CliError> =>
  Effect.gen(function*() {
    const resolved = NodePath.resolve(path)
    // Said here: node's own message names the module that imported it (this file, deep in node_modules).
    if (!NodeFs.existsSync(resolved)) {
      return yield* CliError.input(
        `Cannot load --assets ${path}: ${resolved} does not exist` +
          (resolved === path ? "." : ` (the path is read from the current directory, ${NodeProcess.cwd()}).`)
      )
    }
    const url = NodeUrl.pathToFileURL(resolved).href
    const module = yield* Effect.tryPromise({
      try: async () => {
        if (typeScript.test(resolved)) await registerTsx()
        return (await import(url)) as Record<string, unknown>
      },
      catch: (cause) => CliError.input(`Cannot load --assets ${path}: ${messageOf(cause)}`)
    })
    const project = projectOf(module)
    if (project === undefined) {
      return yield* CliError.input(
        `${path} exports no project: end it with \`export default Project.make({ assets: [...] })\` ` +
          `(Project from "@baliza/cli").`
      )
    }
    // The module may be JavaScript, which no type checker has seen.
    if (typeof project.defaultSelection !== "string") {
      return yield* CliError.input(
        `${path}: defaultSelection must be a selection such as "group:mine", not ${
          JSON.stringify(project.defaultSelection) ?? String(project.defaultSelection)
        }.`
      )
    }
    if (!Array.isArray(project.schedules)) {
      return yield* CliError.input(`${path}: schedules must be a list of RunSchedule values.`)
    }
    return project
  })

/**
 * The project's graph, or an input error naming the assets that make it invalid.
 *
 * @since 0.1.0
 * @category getters
 */
export const graph = (project: Project, source: string): Effect.Effect<
  AssetGraph.AssetGraph<unknown, Warehouse.Services>,
  CliError.CliError
> =>
  Either.match(project.graph, {
    onLeft: (error) =>
      Effect.fail(
        CliError.input(
          `The asset graph of ${source} is not valid (${error.reason}: ${error.assets.join(", ")}): ${error.message}`
        )
      ),
    onRight: Effect.succeed
  })
