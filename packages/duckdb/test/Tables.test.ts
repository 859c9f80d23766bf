import { DuckDB, Tables } from "@baliza/duckdb"
import { assert, describe, it, layer } from "@effect/vitest"
import { DateTime, Effect, Schema, Stream } from "effect"

const Orgao = Schema.Struct({
  cnpj: Schema.String,
  razaoSocial: Schema.String,
  poderId: Schema.Literal("E", "L", "J", "N"),
  esferaId: Schema.String
})

const Contratacao = Schema.Struct({
  numeroControlePNCP: Schema.String,
  srp: Schema.Boolean,
  anoCompra: Schema.Int,
  valorTotalEstimado: Schema.Number,
  valorTotalHomologado: Schema.NullOr(Schema.Number),
  dataPublicacaoPncp: Schema.Date,
  dataAberturaProposta: Schema.optional(Schema.NullOr(Schema.Date)),
  dataVigencia: Schema.Date.annotations(Tables.columnType("DATE")),
  atualizadoEm: Schema.DateTimeUtc,
  orgaoEntidade: Orgao,
  orgaoSubRogado: Schema.NullOr(Orgao),
  fontesOrcamentarias: Schema.Array(Schema.Struct({ codigo: Schema.Int, nome: Schema.String })),
  tags: Schema.Array(Schema.String),
  extras: Schema.Record({ key: Schema.String, value: Schema.Number }),
  codigo: Schema.Union(Schema.String, Schema.Number),
  valor: Schema.Number.annotations(Tables.columnType("DECIMAL(18,2)")),
  "nome com espaço": Schema.String
})

/** Instants at the top level, in a struct and in a list: what the TIMESTAMPTZ tests stage and append. */
const instantFields = {
  id: Schema.Int,
  at: Schema.Date,
  utc: Schema.DateTimeUtc,
  org: Schema.Struct({ since: Schema.NullOr(Schema.Date) }),
  seen: Schema.Array(Schema.Date)
}

describe("Tables", () => {
  it("derives columns, DDL and the from_json structure from a Schema", () => {
    const ddl = Tables.createTable("staging.contratacoes", Contratacao, { primaryKey: ["numeroControlePNCP"] })
    assert.strictEqual(
      ddl,
      [
        `CREATE TABLE IF NOT EXISTS "staging"."contratacoes" (`,
        `  "numeroControlePNCP" VARCHAR NOT NULL,`,
        `  "srp" BOOLEAN NOT NULL,`,
        `  "anoCompra" BIGINT NOT NULL,`,
        `  "valorTotalEstimado" DOUBLE NOT NULL,`,
        `  "valorTotalHomologado" DOUBLE,`,
        `  "dataPublicacaoPncp" TIMESTAMPTZ NOT NULL,`,
        `  "dataAberturaProposta" TIMESTAMPTZ,`,
        `  "dataVigencia" DATE NOT NULL,`,
        `  "atualizadoEm" TIMESTAMPTZ NOT NULL,`,
        `  "orgaoEntidade" STRUCT("cnpj" VARCHAR, "razaoSocial" VARCHAR, "poderId" VARCHAR, "esferaId" VARCHAR) NOT NULL,`,
        `  "orgaoSubRogado" STRUCT("cnpj" VARCHAR, "razaoSocial" VARCHAR, "poderId" VARCHAR, "esferaId" VARCHAR),`,
        `  "fontesOrcamentarias" STRUCT("codigo" BIGINT, "nome" VARCHAR)[] NOT NULL,`,
        `  "tags" VARCHAR[] NOT NULL,`,
        `  "extras" MAP(VARCHAR, DOUBLE) NOT NULL,`,
        `  "codigo" JSON NOT NULL,`,
        `  "valor" DECIMAL(18,2) NOT NULL,`,
        `  "nome com espaço" VARCHAR NOT NULL,`,
        `  PRIMARY KEY ("numeroControlePNCP")`,
        `)`
      ].join("\n")
    )
    const structure = JSON.parse(Tables.jsonStructure(Contratacao))
    assert.deepStrictEqual(structure.orgaoEntidade, {
      cnpj: "VARCHAR",
      razaoSocial: "VARCHAR",
      poderId: "VARCHAR",
      esferaId: "VARCHAR"
    })
    assert.deepStrictEqual(structure.fontesOrcamentarias, [{ codigo: "BIGINT", nome: "VARCHAR" }])
    assert.strictEqual(structure.extras, "MAP(VARCHAR, DOUBLE)")
    assert.strictEqual(structure.dataVigencia, "DATE")
    assert.strictEqual(structure.dataPublicacaoPncp, "TIMESTAMPTZ")
    assert.strictEqual(structure.atualizadoEm, "TIMESTAMPTZ")
    assert.include(Tables.readJsonColumns(Contratacao), `'dataAberturaProposta': 'TIMESTAMPTZ'`)
    assert.include(Tables.readJsonColumns(Contratacao), `'tags': 'VARCHAR[]'`)
    assert.isTrue(Tables.rowType(Orgao).startsWith(`STRUCT("cnpj" VARCHAR`))
  })

  it("quotes identifiers and handles Class, optionalWith and transformations on the encoded side", () => {
    class Item extends Schema.Class<Item>("Item")({
      "quote\"d": Schema.NumberFromString,
      quantidade: Schema.optionalWith(Schema.Int, { default: () => 1 }),
      valor: Schema.BigInt
    }) {}
    assert.deepStrictEqual(
      Tables.columns(Item).map((c) => [c.name, Tables.sqlType(c.type), c.nullable]),
      [["quote\"d", "VARCHAR", false], ["quantidade", "BIGINT", true], ["valor", "BIGINT", false]]
    )
    assert.include(Tables.createTable("t", Item), `"quote""d" VARCHAR NOT NULL`)
    assert.throws(() => Tables.columns(Schema.String))
  })

  it("maps instants to TIMESTAMPTZ, epoch numbers to DOUBLE and a zoned DateTime to VARCHAR", () => {
    const Instants = Schema.Struct({
      date: Schema.Date,
      fromString: Schema.DateFromString,
      self: Schema.DateFromSelf,
      valid: Schema.ValidDateFromSelf,
      utc: Schema.DateTimeUtc,
      utcSelf: Schema.DateTimeUtcFromSelf,
      utcFromDate: Schema.DateTimeUtcFromDate,
      nested: Schema.Struct({ at: Schema.NullOr(Schema.Date) }),
      list: Schema.Array(Schema.DateTimeUtc),
      millis: Schema.DateFromNumber,
      utcMillis: Schema.DateTimeUtcFromNumber,
      zoned: Schema.DateTimeZoned,
      day: Schema.Date.annotations(Tables.columnType("DATE")),
      wallClock: Schema.Date.annotations(Tables.columnType("TIMESTAMP"))
    })
    assert.deepStrictEqual(
      Object.fromEntries(Tables.columns(Instants).map((c) => [c.name, Tables.sqlType(c.type)])),
      {
        date: "TIMESTAMPTZ",
        fromString: "TIMESTAMPTZ",
        self: "TIMESTAMPTZ",
        valid: "TIMESTAMPTZ",
        utc: "TIMESTAMPTZ",
        utcSelf: "TIMESTAMPTZ",
        utcFromDate: "TIMESTAMPTZ",
        nested: `STRUCT("at" TIMESTAMPTZ)`,
        list: "TIMESTAMPTZ[]",
        millis: "DOUBLE",
        utcMillis: "DOUBLE",
        zoned: "VARCHAR",
        day: "DATE",
        wallClock: "TIMESTAMP"
      }
    )
    const structure = JSON.parse(Tables.jsonStructure(Instants))
    assert.deepStrictEqual(structure.nested, { at: "TIMESTAMPTZ" })
    assert.deepStrictEqual(structure.list, ["TIMESTAMPTZ"])
  })

  it("honours columnType on property signatures and keeps a NullOr nullable when it is annotated", () => {
    const decimal = Tables.columnType("DECIMAL(18,2)")
    const fields = {
      a: Schema.optional(Schema.Number).annotations(decimal),
      c: Schema.NullOr(Schema.Number).annotations(decimal),
      d: Schema.optional(Schema.Number.annotations(decimal)),
      g: Schema.propertySignature(Schema.Number).annotations(Tables.columnType("INTEGER")),
      o: Schema.OptionFromNullOr(Schema.Number).annotations(decimal)
    }
    const expected = [
      ["a", "DECIMAL(18,2)", true],
      ["c", "DECIMAL(18,2)", true],
      ["d", "DECIMAL(18,2)", true],
      ["g", "INTEGER", false],
      ["o", "DECIMAL(18,2)", true]
    ]
    const described = <A, I, R>(schema: Schema.Schema<A, I, R>) =>
      Tables.columns(schema).map((c) => [c.name, Tables.sqlType(c.type), c.nullable])
    assert.deepStrictEqual(described(Schema.Struct(fields)), expected)
    // optionalWith turns the struct into a transformation, whose type side carries the property annotations
    const b = Schema.optionalWith(Schema.Number, { nullable: true }).annotations(decimal)
    assert.deepStrictEqual(described(Schema.Struct({ ...fields, b })), [...expected, ["b", "DECIMAL(18,2)", true]])
    class Row extends Schema.Class<Row>("Row")({ ...fields, b }) {}
    assert.deepStrictEqual(described(Row), [...expected, ["b", "DECIMAL(18,2)", true]])
    const renamed = Schema.propertySignature(Schema.Number).annotations(decimal).pipe(Schema.fromKey("v_alor"))
    assert.deepStrictEqual(described(Schema.Struct({ valor: renamed, b })), [
      ["v_alor", "DECIMAL(18,2)", false],
      ["b", "DECIMAL(18,2)", true]
    ])
    const nested = Schema.Struct({ inner: Schema.Struct({ b }), list: Schema.Array(Schema.Struct({ b })) })
    assert.strictEqual(
      Tables.rowType(nested),
      `STRUCT("inner" STRUCT("b" DECIMAL(18,2)), "list" STRUCT("b" DECIMAL(18,2))[])`
    )
    assert.include(Tables.createTable("t", Schema.Struct(fields)), `"c" DECIMAL(18,2),\n`)
  })
})

// Unions of different types and mixed tuples are JSON columns; reading them back gives the values staged.
const stage = <A, I>(db: DuckDB.Service, table: string, schema: Schema.Schema<A, I>, records: ReadonlyArray<unknown>) =>
  Effect.gen(function*() {
    yield* db.execute(Tables.createTable(table, schema))
    const structure = JSON.stringify([JSON.parse(Tables.jsonStructure(schema))])
    yield* db.execute(
      `INSERT INTO ${table} SELECT unnest(from_json($1, '${structure}'), recursive := true)`,
      [JSON.stringify(records)]
    )
  })

describe("Tables (JSON columns read back with queryAs)", () => {
  it.scoped("a Union(String, Number) field reads back as the string and the number staged", () =>
    Effect.gen(function*() {
      const db = yield* DuckDB.make({ path: ":memory:" })
      const S = Schema.Struct({ id: Schema.Int, v: Schema.Union(Schema.String, Schema.Number) })
      yield* stage(db, "u", S, [{ id: 1, v: "abc" }, { id: 2, v: 2 }])
      const rows = yield* db.queryAs(S)("SELECT * FROM u ORDER BY id")
      // observed: [{ id: 1, v: "\"abc\"" }, { id: 2, v: "2" }] — JSON text, silently accepted as strings
      assert.deepStrictEqual(rows, [{ id: 1, v: "abc" }, { id: 2, v: 2 }])
    }))

  it.scoped("a Tuple(String, Number) field reads back with the same Schema", () =>
    Effect.gen(function*() {
      const db = yield* DuckDB.make({ path: ":memory:" })
      const S = Schema.Struct({ id: Schema.Int, t: Schema.Tuple(Schema.String, Schema.Number) })
      yield* stage(db, "tu", S, [{ id: 1, t: ["a", 1] }])
      const rows = yield* db.queryAs(S)("SELECT * FROM tu ORDER BY id")
      assert.deepStrictEqual(rows, [{ id: 1, t: ["a", 1] as const }])
    }))
})

layer(DuckDB.layerMemory)("Tables (DuckDB)", (it) => {
  it.effect("the DDL creates a table that from_json fills and queryAs reads back with the same Schema", () =>
    Effect.gen(function*() {
      const Row = Schema.Struct({
        id: Schema.Int,
        at: Schema.Date,
        day: Schema.Date.annotations(Tables.columnType("DATE")),
        org: Schema.Struct({ cnpj: Schema.String, nome: Schema.NullOr(Schema.String) }),
        fontes: Schema.Array(Schema.Struct({ codigo: Schema.Int })),
        valor: Schema.NullOr(Schema.Number)
      })
      yield* DuckDB.execute("CREATE SCHEMA IF NOT EXISTS staging")
      yield* DuckDB.execute(Tables.createTable("staging.rows", Row))
      const json = JSON.stringify({
        id: 1,
        at: "2025-06-24T00:00:46",
        day: "2025-06-24",
        org: { cnpj: "123", nome: null },
        fontes: [{ codigo: 9 }],
        valor: 10.5
      })
      yield* DuckDB.execute(
        `INSERT INTO staging.rows SELECT unnest(from_json($1, '${Tables.jsonStructure(Row)}'))`,
        [json]
      )
      const rows = yield* DuckDB.queryAs(Row)("SELECT * FROM staging.rows")
      assert.deepStrictEqual(rows, [{
        id: 1,
        at: new Date("2025-06-24T00:00:46.000Z"),
        day: new Date("2025-06-24T00:00:00.000Z"),
        org: { cnpj: "123", nome: null },
        fontes: [{ codigo: 9 }],
        valor: 10.5
      }])
      assert.deepStrictEqual(yield* Tables.check("staging.rows", Row), [])
    }))

  it.effect("timestamps with offsets staged through from_json read back as the instants the Schema decodes", () =>
    Effect.gen(function*() {
      const Stamp = Schema.Struct({
        ...instantFields,
        // (VARCHAR: a TIMESTAMPTZ would keep the instant and lose the zone)
        zoned: Schema.DateTimeZoned
      })
      const zoned = "2024-07-01T10:00:00.000-03:00[America/Sao_Paulo]"
      const instant = new Date("2024-07-01T13:00:00.000Z")
      // One instant spelled four ways. Without an offset DuckDB reads UTC, as Schema.DateTimeUtc does (Schema.Date
      // would read the process's local time).
      const spellings = [
        "2024-07-01T10:00:00-03:00",
        "2024-07-01T18:30:00+05:30",
        "2024-07-01T13:00:00Z",
        "2024-07-01T13:00:00"
      ]
      const page = spellings.map((at, id) => ({ id, at, utc: at, org: { since: at }, seen: [at, at], zoned }))
      for (const record of page.slice(0, 3)) {
        const decoded = Schema.decodeUnknownSync(Stamp)(record)
        assert.deepStrictEqual([decoded.at, decoded.org.since, ...decoded.seen], [instant, instant, instant, instant])
      }
      assert.strictEqual(Schema.decodeUnknownSync(Schema.DateTimeUtc)(spellings[3]).epochMillis, instant.getTime())
      // from_json parses the same whatever the session's TimeZone (a user's is their machine's, with ICU loaded)
      for (const zone of ["UTC", "America/Sao_Paulo", "Asia/Kolkata"]) {
        yield* DuckDB.execute(`SET TimeZone = '${zone}'`)
        yield* DuckDB.execute(Tables.createTable("stamps", Stamp, { orReplace: true }))
        yield* DuckDB.execute(
          `INSERT INTO stamps SELECT unnest(from_json($1, '[${Tables.jsonStructure(Stamp)}]'), max_depth := 2)`,
          [JSON.stringify(page)]
        )
        const rows = yield* DuckDB.queryAs(Stamp)("SELECT * FROM stamps ORDER BY id")
        assert.deepStrictEqual(
          rows.map((row) => [row.id, row.at, row.utc.epochMillis, row.org.since, ...row.seen]),
          page.map((record) => [record.id, instant, instant.getTime(), instant, instant, instant]),
          zone
        )
        assert.deepStrictEqual(
          rows.map((row) => [row.zoned.epochMillis, DateTime.zoneToString(row.zoned.zone)]),
          page.map(() => [instant.getTime(), "America/Sao_Paulo"])
        )
        assert.deepStrictEqual(
          yield* DuckDB.withTransaction(DuckDB.query("SELECT current_setting('TimeZone') AS zone")),
          [{ zone }]
        )
      }
    }).pipe(Effect.ensuring(Effect.orDie(DuckDB.execute("RESET TimeZone")))))

  it.effect("Dates appended to a derived table land as the same instants, in order or not, in any TimeZone", () =>
    Effect.gen(function*() {
      const Event = Schema.Struct({ ...instantFields, gone: Schema.NullOr(Schema.Date) })
      const instants = [
        new Date("2024-07-01T13:00:00.123Z"),
        new Date(-1),
        new Date("1900-01-01T00:00:00.000Z"),
        new Date("2600-01-01T00:00:00.001Z")
      ]
      // more than one data chunk (2048 rows), with NULLs
      const rows = Array.from({ length: 5000 }, (_, id) => {
        const at = instants[id % instants.length]!
        return { id, at, utc: at, org: { since: id % 3 === 0 ? null : at }, seen: [at, at], gone: id % 2 ? at : null }
      })
      const columns = Object.keys(Event.fields)
      yield* DuckDB.execute(`SET TimeZone = 'America/Sao_Paulo';
        ${Tables.createTable("events", Event)}; ${Tables.createTable("events_any", Event)}`)
      assert.strictEqual(yield* DuckDB.appendRows("events", columns, rows), rows.length)
      assert.strictEqual(
        yield* DuckDB.appendStream("events_any", columns, Stream.fromIterable(rows), { preserveOrder: false }),
        rows.length
      )
      for (const table of ["events", "events_any"]) {
        assert.deepStrictEqual(yield* DuckDB.query(`SELECT * FROM ${table} ORDER BY id`), rows, table)
        // what DuckDB holds is the instant itself, not a wall-clock time of the session's zone
        const stored = yield* DuckDB.withTransaction(DuckDB.query(
          `SELECT epoch_ms("at") AS "at", epoch_ms(utc) AS utc, epoch_ms(org.since) AS since FROM ${table} ORDER BY id`
        ))
        assert.deepStrictEqual(
          stored,
          rows.map((row) => ({ at: row.at.getTime(), utc: row.at.getTime(), since: row.org.since?.getTime() ?? null }))
        )
      }
      const [first] = yield* DuckDB.queryAs(Event)("SELECT * FROM events WHERE id = 0")
      assert.strictEqual(first?.utc.epochMillis, instants[0]!.getTime())
      assert.deepStrictEqual(yield* Tables.check("events", Event), [])
    }).pipe(Effect.ensuring(Effect.orDie(DuckDB.execute("RESET TimeZone")))))

  it.effect("epoch milliseconds (Schema.DateFromNumber) are kept as numbers and read back as the same Dates", () =>
    Effect.gen(function*() {
      const Stamped = Schema.Struct({ id: Schema.Int, at: Schema.NullOr(Schema.DateFromNumber) })
      assert.include(Tables.createTable("stamped", Stamped), `"at" DOUBLE`)
      yield* DuckDB.execute(Tables.createTable("stamped", Stamped))
      yield* DuckDB.execute(
        `INSERT INTO stamped SELECT unnest(from_json($1, '[${Tables.jsonStructure(Stamped)}]'), recursive := true)`,
        [JSON.stringify([{ id: 1, at: 1_700_000_000_123 }, { id: 2, at: null }])]
      )
      assert.deepStrictEqual(yield* DuckDB.queryAs(Stamped)("SELECT * FROM stamped ORDER BY id"), [
        { id: 1, at: new Date(1_700_000_000_123) },
        { id: 2, at: null }
      ])
    }))

  it.effect("optional fields, records and unknown values read back with the Schema they were staged with", () =>
    Effect.gen(function*() {
      const Row = Schema.Struct({
        id: Schema.Int,
        note: Schema.optional(Schema.String),
        maybe: Schema.optional(Schema.NullOr(Schema.String)),
        items: Schema.Array(Schema.Struct({ code: Schema.Int, label: Schema.optional(Schema.String) })),
        counts: Schema.Record({ key: Schema.String, value: Schema.Number }),
        extra: Schema.Unknown
      })
      yield* DuckDB.execute(Tables.createTable("round_trip", Row))
      const rows = [
        { id: 1, note: "n", maybe: null, items: [{ code: 1, label: "a" }], counts: { x: 1 }, extra: { a: [1, 2] } },
        { id: 2, items: [{ code: 2 }], counts: {}, extra: "text" }
      ]
      yield* DuckDB.execute(
        `INSERT INTO round_trip SELECT unnest(from_json($1, '[${Tables.jsonStructure(Row)}]'), max_depth := 2)`,
        [JSON.stringify(rows)]
      )
      // (a column cannot tell an absent field from a null: one that accepts null reads back as null)
      assert.deepStrictEqual(yield* DuckDB.queryAs(Row)("SELECT * FROM round_trip ORDER BY id"), [
        rows[0],
        { ...rows[1], maybe: null }
      ])
    }))

  it.effect("check reports missing, extra, mistyped and NOT NULL columns as data", () =>
    Effect.gen(function*() {
      yield* DuckDB.execute(
        `CREATE TABLE drifted ("id" VARCHAR, "org" STRUCT("cnpj" VARCHAR), "gone" INTEGER, "note" VARCHAR NOT NULL)`
      )
      const Expected = Schema.Struct({
        id: Schema.Int,
        org: Schema.Struct({ cnpj: Schema.String }),
        note: Schema.NullOr(Schema.String),
        added: Schema.Boolean
      })
      const differences = yield* Tables.check("drifted", Expected)
      assert.deepStrictEqual(differences, [
        { _tag: "TypeMismatch", column: "id", expected: "BIGINT", actual: "VARCHAR" },
        { _tag: "NotNullMismatch", column: "note" },
        { _tag: "MissingColumn", column: "added", expected: "BOOLEAN" },
        { _tag: "ExtraColumn", column: "gone", actual: "INTEGER" }
      ])
      assert.deepStrictEqual(yield* Tables.check("main.nowhere", Expected), [{
        _tag: "MissingTable",
        table: "main.nowhere"
      }])
      // the differences are data: they encode with their Schema
      assert.strictEqual(Schema.encodeSync(Schema.Array(Tables.Difference))(differences).length, 4)
    }))

  it.effect("check reports an instant still stored as TIMESTAMP, which ALTER … AT TIME ZONE 'UTC' migrates", () =>
    Effect.gen(function*() {
      const Row = Schema.Struct({
        id: Schema.Int,
        at: Schema.Date,
        wall: Schema.Date.annotations(Tables.columnType("TIMESTAMP"))
      })
      // a table made when instants were TIMESTAMP: UTC wall-clock times
      yield* DuckDB.execute(
        `CREATE TABLE legacy ("id" BIGINT NOT NULL, "at" TIMESTAMP NOT NULL, "wall" TIMESTAMP NOT NULL);
        INSERT INTO legacy VALUES (1, TIMESTAMP '2024-07-01 13:00:00', TIMESTAMP '2024-07-01 13:00:00')`
      )
      assert.deepStrictEqual(yield* Tables.check("legacy", Row), [
        { _tag: "TypeMismatch", column: "at", expected: "TIMESTAMP WITH TIME ZONE", actual: "TIMESTAMP" }
      ])
      // in a session whose TimeZone is not UTC, as on a user's machine, the migration keeps the instants
      yield* DuckDB.execute(`SET TimeZone = 'America/Sao_Paulo';
        ALTER TABLE legacy ALTER "at" TYPE TIMESTAMPTZ USING "at" AT TIME ZONE 'UTC'`)
      assert.deepStrictEqual(yield* Tables.check("legacy", Row), [])
      const at = new Date("2024-07-01T13:00:00.000Z")
      assert.deepStrictEqual(yield* DuckDB.queryAs(Row)("SELECT * FROM legacy"), [{ id: 1, at, wall: at }])
    }).pipe(Effect.ensuring(Effect.orDie(DuckDB.execute("RESET TimeZone")))))

  it.effect("check finds the table and schema case-insensitively, as DuckDB resolves them", () =>
    Effect.gen(function*() {
      const Row = Schema.Struct({ x: Schema.Int })
      yield* DuckDB.execute(`CREATE SCHEMA "Mixed"; ${Tables.createTable(`"Mixed"."Rows"`, Row)}`)
      assert.deepStrictEqual(yield* DuckDB.query("SELECT count(*)::INTEGER AS n FROM MIXED.rows"), [{ n: 0 }])
      assert.deepStrictEqual(yield* Tables.check("MIXED.rows", Row), [])
      assert.deepStrictEqual(yield* Tables.check("MEMORY.mixed.ROWS", Row), [])
      yield* DuckDB.execute(Tables.createTable("lower_case", Row))
      assert.deepStrictEqual(yield* Tables.check("LOWER_CASE", Row), [])
    }))

  it.effect("an attached database's table is named catalog.schema.table, and check looks at that table only", () =>
    Effect.gen(function*() {
      const Row = Schema.Struct({ x: Schema.Int })
      yield* DuckDB.execute(`ATTACH ':memory:' AS other; ${Tables.createTable("main.same", Row)}`)
      yield* DuckDB.execute(`CREATE TABLE other.main.same (x VARCHAR, y INTEGER)`)
      yield* DuckDB.appendRows("other.main.same", ["x", "y"], [["in other", 1]])
      // as DuckDB reads it, `other.same` is the attached database's table (there is no schema `other`)
      yield* DuckDB.appendRows("other.same", ["x", "y"], [["also", 2]])
      assert.deepStrictEqual(yield* DuckDB.query("SELECT count(*)::INTEGER AS n FROM main.same"), [{ n: 0 }])
      assert.deepStrictEqual(yield* DuckDB.query("SELECT x FROM other.main.same ORDER BY y"), [
        { x: "in other" },
        { x: "also" }
      ])
      assert.deepStrictEqual(yield* Tables.check("same", Row), [])
      assert.deepStrictEqual(yield* Tables.check("other.main.same", Row), [
        { _tag: "TypeMismatch", column: "x", expected: "BIGINT", actual: "VARCHAR" },
        { _tag: "ExtraColumn", column: "y", actual: "INTEGER" }
      ])
      yield* DuckDB.execute("DETACH other")
    }))
})
