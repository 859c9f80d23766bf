/**
 * Selections that match little or nothing: a filter that matches no asset is only a warning while the selection still
 * selects assets (`transform` on a project without a raw layer); a selection that selects nothing is exit 2, with the
 * names of the filter's own kind (groups, tags, layers) or the nearest keys.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import * as NodeFs from "node:fs"
import * as NodePath from "node:path"
import { baliza, tempDatabase } from "./fixtures/run.js"

const noraw = NodePath.join(__dirname, "fixtures", "projects", "noraw.ts")

describe("checkSelection", () => {
  it.scopedLive("an unmatched filter in a selection that selects assets warns; transform needs no raw layer", () =>
    Effect.gen(function*() {
      const { db } = yield* tempDatabase
      const project = ["--db", db, "--assets", noraw]
      const transform = yield* baliza(...project, "transform", "--dry-run")
      assert.strictEqual(transform.code, 0, transform.stderr)
      assert.include(transform.stdout, "shop/staging/orders")
      assert.include(transform.stdout, "shop/marts/revenue")
      assert.include(transform.stderr, "warning")
      assert.include(transform.stderr, "layer:raw")

      const either = yield* baliza(...project, "--json", "assets", "group:shop or tag:owne")
      assert.strictEqual(either.code, 0, either.stderr)
      assert.strictEqual(JSON.parse(either.stdout).length, 2)
      assert.include(either.stderr, "no asset matches tag:owne (did you mean tag:owner?)")
      assert.isFalse(NodeFs.existsSync(db), "listing the graph creates no database")
    }))

  it.scopedLive("a selection that selects nothing is exit 2, with names of the filter's kind", () =>
    Effect.gen(function*() {
      const { db } = yield* tempDatabase
      const project = ["--db", db, "--assets", noraw]
      const cases: ReadonlyArray<readonly [ReadonlyArray<string>, string, string | undefined]> = [
        [["assets", "group:shp"], "group:shp (did you mean group:shop?)", "shop/staging/orders"],
        [["assets", "tag:owner=sale"], "tag:owner=sales", "shop/staging/orders"],
        [["assets", "layer:raw"], "the graph has layer:mart, layer:staging", undefined],
        [["assets", "shop/raw/*"], "shop/staging/orders", undefined],
        [["assets", "layer:staging and layer:mart"], "selects no asset", undefined],
        [["assets", "shop/staging/order"], "shop/staging/orders", undefined],
        [["assets", "nosuch/asset"], "`baliza assets` lists them", undefined],
        [["extract", "--dry-run"], "layer:raw", undefined]
      ]
      for (const [args, expected, absent] of cases) {
        const out = yield* baliza(...project, ...args)
        const what = `${args.join(" ")}: ${out.stderr}`
        assert.strictEqual(out.code, 2, what)
        assert.include(out.stderr, expected, what)
        if (absent !== undefined) assert.notInclude(out.stderr, absent, what)
      }
    }))
})
