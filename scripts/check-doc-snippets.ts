/**
 * Typechecks every ```ts block of `docs/*.md`.
 *
 * Each block becomes its own module in `docs/.snippets/<doc>-<n>.ts` (inside the repository, so `@baliza/*` and `effect`
 * resolve through `node_modules` and the root `package.json` makes it ESM), compiled with the options of
 * `tsconfig.base.json` minus emit. Blocks fenced as ```ts no-check are skipped. Prints each error at its place in the
 * Markdown file and exits 1 if there is any. The snippets folder is removed afterwards unless `--keep` is given.
 *
 * `tsx scripts/check-doc-snippets.ts [--keep] [docs/some.md ...]`
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { basename, dirname, join, relative, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import ts from "typescript"

interface Snippet {
  /** The Markdown file, relative to the repository root. */
  readonly doc: string
  /** 1-based line of the snippet's first code line in the Markdown file. */
  readonly line: number
  readonly code: string
  readonly path: string
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..")
const docsDir = join(root, "docs")
const outDir = join(docsDir, ".snippets")
const args = process.argv.slice(2)
const keep = args.includes("--keep")
const requested = args.filter((arg) => !arg.startsWith("--")).map((arg) => resolve(arg))

const docs = requested.length > 0
  ? requested
  : readdirSync(docsDir).filter((name) => name.endsWith(".md")).sort().map((name) => join(docsDir, name))

/** Fenced blocks whose info string starts with `ts` (or `typescript`); `no-check` in the info string skips one. */
const extract = (file: string): { readonly snippets: ReadonlyArray<Snippet>; readonly skipped: number } => {
  const doc = relative(root, file)
  const stem = basename(file, ".md")
  const lines = readFileSync(file, "utf8").split(/\r?\n/)
  const snippets: Array<Snippet> = []
  let skipped = 0
  let open:
    | { readonly fence: string; readonly check: boolean; readonly start: number; readonly lang: string }
    | undefined
  let body: Array<string> = []
  lines.forEach((text, i) => {
    if (open === undefined) {
      const match = /^ {0,3}(`{3,}|~{3,})\s*([\w-]*)(.*)$/.exec(text)
      if (match === null) return
      const lang = match[2].toLowerCase()
      const info = match[3].split(/\s+/).filter((word) => word.length > 0)
      open = { fence: match[1], lang, check: !info.includes("no-check"), start: i + 2 }
      body = []
      return
    }
    const closing = new RegExp(`^ {0,3}${open.fence[0]}{${open.fence.length},}\\s*$`)
    if (!closing.test(text)) {
      body.push(text)
      return
    }
    if (open.lang === "ts" || open.lang === "typescript") {
      if (open.check) {
        const n = snippets.length + 1
        snippets.push({ doc, line: open.start, code: `${body.join("\n")}\n`, path: join(outDir, `${stem}-${n}.ts`) })
      } else skipped++
    }
    open = undefined
  })
  if (open !== undefined) throw new Error(`${doc}: the code fence opened on line ${open.start - 1} is never closed`)
  return { snippets, skipped }
}

const compilerOptions = (): ts.CompilerOptions => {
  const configPath = join(root, "tsconfig.base.json")
  const read = ts.readConfigFile(configPath, ts.sys.readFile)
  if (read.error !== undefined) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, "\n"))
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, root, undefined, configPath)
  const { tsBuildInfoFile: _buildInfo, ...options } = parsed.options
  return {
    ...options,
    noEmit: true,
    composite: false,
    incremental: false,
    declaration: false,
    declarationMap: false,
    emitDeclarationOnly: false,
    // Snippets declare values to show them, not to use them.
    noUnusedLocals: false,
    noUnusedParameters: false
  }
}

const all: Array<Snippet> = []
let skipped = 0
for (const file of docs) {
  const found = extract(file)
  all.push(...found.snippets)
  skipped += found.skipped
}

rmSync(outDir, { recursive: true, force: true })
mkdirSync(outDir, { recursive: true })
for (const snippet of all) writeFileSync(snippet.path, snippet.code)

const byPath = new Map(all.map((snippet) => [resolve(snippet.path), snippet]))
const program = ts.createProgram(all.map((snippet) => snippet.path), compilerOptions())
const diagnostics: Array<ts.Diagnostic> = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()]
for (const snippet of all) {
  const source = program.getSourceFile(snippet.path)
  if (source === undefined) throw new Error(`${snippet.path} is not part of the program`)
  diagnostics.push(...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source))
}

const report = (diagnostic: ts.Diagnostic): string => {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n  ")
  const file = diagnostic.file
  if (file === undefined || diagnostic.start === undefined) return `error TS${diagnostic.code}: ${message}`
  const { character, line } = file.getLineAndCharacterOfPosition(diagnostic.start)
  const snippet = byPath.get(resolve(file.fileName))
  const where = snippet === undefined
    ? `${relative(root, file.fileName)}:${line + 1}:${character + 1}`
    : `${snippet.doc}:${snippet.line + line}:${character + 1} (snippet ${relative(root, snippet.path)})`
  const code = file.text.split("\n")[line] ?? ""
  return `${where}\n  error TS${diagnostic.code}: ${message}\n  | ${code}\n  | ${" ".repeat(character)}^`
}

// A command-line tool: it writes to the terminal directly.
const print = (stream: NodeJS.WriteStream, text: string) => stream.write(`${text}\n`)

for (const diagnostic of diagnostics) print(process.stderr, report(diagnostic))
const failing = new Set(diagnostics.map((d) => d.file?.fileName).filter((name) => name !== undefined)).size
const summary = `${all.length} snippet(s) from ${docs.length} file(s) checked, ${skipped} marked no-check: ` +
  (diagnostics.length === 0 ? "all compile" : `${diagnostics.length} error(s) in ${failing} snippet(s)`)
// On failure the summary follows the errors on stderr, so it comes last however the two streams are buffered.
print(diagnostics.length === 0 ? process.stdout : process.stderr, summary)
if (!keep) rmSync(outDir, { recursive: true, force: true })
process.exitCode = diagnostics.length === 0 ? 0 : 1
