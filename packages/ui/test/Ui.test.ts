import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import * as Ui from "../src/Ui.js"

describe("Ui", () => {
  it.effect("files: the page, its bundled script and its style sheet", () =>
    Effect.gen(function*() {
      const files = yield* Ui.files
      const byPath = new Map(files.map((file) => [file.path, file]))
      assert.deepStrictEqual([...byPath.keys()].sort(), ["/index.html", "/ui/app.js", "/ui/style.css"])
      assert.match(byPath.get("/index.html")!.contentType, /^text\/html/)
      assert.match(byPath.get("/ui/app.js")!.contentType, /^text\/javascript/)
      assert.match(byPath.get("/ui/style.css")!.contentType, /^text\/css/)
      const text = (path: string) => new TextDecoder().decode(byPath.get(path)!.body)
      assert.include(text("/index.html"), `src="/ui/app.js"`)
      assert.include(text("/index.html"), `href="/ui/style.css"`)
      // Bundled: no import left to resolve in the browser, and the routes are there.
      const script = text("/ui/app.js")
      assert.notMatch(script, /^\s*import\s/m)
      assert.include(script, "/api/lineage")
      assert.include(script, "EventSource")
      assert.include(text("/ui/style.css"), "--fresh")
    }))
})
