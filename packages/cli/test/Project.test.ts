/**
 * `baliza --assets MODULE`: a user's own project run by the command, and every way a user graph can be wrong reported
 * with the assets involved and exit 2.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import * as NodeFs from "node:fs"
import * as NodePath from "node:path"
import { baliza, count, tempDatabase } from "./fixtures/run.js"

const fixture = (name: string) => NodePath.join(__dirname, "fixtures", "projects", `${name}.ts`)

describe("Project", () => {
  it.scopedLive("a project of one's own: listed, planned, materialized into the file, then up to date", () =>
    Effect.gen(function*() {
      const { db } = yield* tempDatabase
      const shop = ["--db", db, "--assets", fixture("shop")]
      const listed = yield* baliza(...shop, "assets")
      assert.strictEqual(listed.code, 0, listed.stderr)
      assert.include(listed.stdout, "shop/raw/orders")
      assert.notInclude(listed.stdout, "pncp/")

      const first = yield* baliza(...shop, "materialize", "--from", "2024-03-01", "--to", "2024-03-03")
      assert.strictEqual(first.code, 0, first.stderr)
      // Days 1, 2 and 3 of the month have 1, 2 and 3 orders of 1.5 × i.
      assert.strictEqual(yield* count(db, "SELECT count(*) AS n FROM shop.orders"), 6)
      assert.strictEqual(yield* count(db, "SELECT sum(total) AS n FROM shop.revenue"), 1.5 * (1 + 3 + 6))

      const plan = yield* baliza(
        ...shop,
        "--json",
        "materialize",
        "--from",
        "2024-03-01",
        "--to",
        "2024-03-03",
        "--dry-run"
      )
      assert.strictEqual(plan.code, 0, plan.stderr)
      assert.strictEqual((JSON.parse(plan.stdout) as { readonly toRun: number }).toRun, 0)
      const unknown = yield* baliza(...shop, "materialize", "--select", "shop/raw/order")
      assert.strictEqual(unknown.code, 2)
      assert.include(unknown.stderr, "shop/raw/orders")
    }))

  it.scopedLive("an invalid graph or module: exit 2, the assets involved and why", () =>
    Effect.gen(function*() {
      const { db } = yield* tempDatabase
      const cases: ReadonlyArray<readonly [string, ReadonlyArray<string>]> = [
        ["cycle", ["Cycle", "a", "b", "c"]],
        ["missing", ["MissingDependency", "sales/report", "sales/orders"]],
        ["duplicate", ["DuplicateKey", "sales/orders"]],
        ["mapping", ["InvalidPartitionMapping", "sales/by_day", "sales/by_region"]],
        ["nothing", ["exports no project", "Project.make"]],
        ["selection", ["defaultSelection must be a selection", "not 42"]],
        ["does-not-exist", ["Cannot load --assets", `${fixture("does-not-exist")} does not exist`]]
      ]
      for (const [name, expected] of cases) {
        for (const command of [["assets"], ["materialize", "--day", "2024-03-01"]]) {
          const out = yield* baliza("--db", db, "--assets", fixture(name), ...command)
          const what = `${name} ${command.join(" ")}: ${out.stderr}`
          assert.strictEqual(out.code, 2, what)
          for (const text of expected) assert.include(out.stderr, text, what)
          assert.notMatch(out.stderr, /\n\s+at /, what)
          assert.notInclude(out.stderr, "imported from", what)
        }
      }
      // a relative path: resolved against the current directory, which the message names
      const relative = yield* baliza("--db", db, "--assets", "no-such-assets.ts", "assets")
      assert.strictEqual(relative.code, 2)
      assert.include(
        relative.stderr,
        `Cannot load --assets no-such-assets.ts: ${NodePath.resolve("no-such-assets.ts")} does not exist ` +
          `(the path is read from the current directory, ${process.cwd()}).`
      )
      // a syntax error: where it is, not only that the transform failed
      const broken = NodePath.join(NodePath.dirname(db), "broken.ts")
      NodeFs.writeFileSync(broken, "export const project = {\n")
      const out = yield* baliza("--db", db, "--assets", broken, "assets")
      assert.strictEqual(out.code, 2)
      assert.match(out.stderr, /broken\.ts:\d+/, out.stderr)
    }))
})
