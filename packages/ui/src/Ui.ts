/**
 * The page of Baliza's server: vanilla TypeScript under `src/page/` (one module per page, hash routes), bundled in
 * memory with esbuild when the server first serves it. Give {@link files} to `@baliza/server`'s `Server.layer` as
 * `ui`: `/index.html` is served at `/`, the script and the style sheet under `/ui/`.
 *
 * @since 0.1.0
 */
import type { UiFile } from "@baliza/server/Server"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as esbuild from "esbuild"
import * as NodeFs from "node:fs/promises"
import { fileURLToPath } from "node:url"

/**
 * The page could not be built: a source file is missing, or esbuild refused it.
 *
 * @since 0.1.0
 * @category errors
 */
export class UiError extends Schema.TaggedError<UiError>()("UiError", {
  message: Schema.String,
  cause: Schema.optional(Schema.Defect)
}) {}

const pageFile = (name: string) => fileURLToPath(new URL(`./page/${name}`, import.meta.url))

const readPage = (name: string) =>
  Effect.tryPromise({
    try: () => NodeFs.readFile(pageFile(name)),
    catch: (cause) => new UiError({ message: `Cannot read the page's ${name}: ${String(cause)}`, cause })
  })

/** The entry point: the TypeScript source in the workspace, the compiled JavaScript in a build. */
const entryPoint = Effect.promise(async () => {
  const source = pageFile("main.ts")
  return await NodeFs.access(source).then(() => source, () => pageFile("main.js"))
})

const bundle = Effect.flatMap(entryPoint, (entry) =>
  Effect.tryPromise({
    try: () =>
      esbuild.build({
        write: false,
        bundle: true,
        format: "esm",
        platform: "browser",
        target: "es2022",
        entryPoints: [entry],
        minify: true,
        logLevel: "silent"
      }),
    catch: (cause) => new UiError({ message: `Cannot bundle the page: ${String(cause)}`, cause })
  }).pipe(
    Effect.flatMap((result) => {
      const [output] = result.outputFiles
      return output === undefined
        ? Effect.fail(new UiError({ message: "esbuild produced no output for the page" }))
        : Effect.succeed(output.contents)
    })
  ))

/**
 * The page's files, bundled now: `/index.html`, `/ui/app.js` and `/ui/style.css`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const files: Effect.Effect<ReadonlyArray<UiFile>, UiError> = Effect.all(
  [readPage("index.html"), bundle, readPage("style.css")],
  { concurrency: 3 }
).pipe(
  Effect.map(([html, script, style]): ReadonlyArray<UiFile> => [
    { path: "/index.html", contentType: "text/html; charset=utf-8", body: html },
    { path: "/ui/app.js", contentType: "text/javascript; charset=utf-8", body: script },
    { path: "/ui/style.css", contentType: "text/css; charset=utf-8", body: style }
  ]),
  Effect.withSpan("Ui.files")
)
