/**
 * The fake's arithmetic: hashes, volumes per day, and record identities. A record is (kind, day, modalidade, index);
 * its rank in its year (records of earlier days and modalidades, then the index) is dealt over a weighted table of
 * real órgãos, which gives every record a (cnpj, ano, sequencial) unique by construction and decodable back.
 *
 * @internal
 */
import type * as PncpFake from "../PncpFake.js"
import { samples } from "./fakeSamples.js"

/** @internal Declared by the public module: `PncpFake.Volumes`. */
export type Volumes = PncpFake.Volumes

/**
 * @internal Weekday figures at scale 1: contratações and contratos from the brief; PCA and instrumentos from the
 * notes' monthly counts (≈ 213k PCA units and 3.7k instrumentos a month, with weekends at a fifth).
 */
export const defaultVolumes: Volumes = { contratacoes: 6500, contratos: 3500, atas: 1000, pca: 9000, instrumentos: 155 }

/** @internal Share of a day's contratações per modalidade, from the real counts of 2025-07-10 (2 and 3: a 204). */
export const modalidadeShare: Readonly<Record<number, number>> = {
  1: 0.0012,
  2: 0,
  3: 0,
  4: 0.0343,
  5: 0.0026,
  6: 0.2771,
  7: 0.0097,
  8: 0.466,
  9: 0.1913,
  10: 0.0002,
  11: 0.0008,
  12: 0.0161,
  13: 0.0002
}

/** @internal FNV-1a over the parts, then a murmur finalizer: a well-mixed 32-bit hash. */
export const hash = (...parts: ReadonlyArray<string | number>): number => {
  let h = 0x811c9dc5
  for (const part of parts) {
    const text = String(part)
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193)
    h = Math.imul(h ^ 0x2f, 0x01000193)
  }
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}

/** @internal The murmur finalizer alone: mixes one 32-bit integer. */
export const mix = (x: number): number => {
  let h = x >>> 0
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}

const labels = new Map<string, number>()

/**
 * @internal A record's random stream: one string hash for the record, then `draw(label)` mixes integers only (a
 * label's hash is memoized), which keeps a page of 50 records well under a millisecond.
 */
export const stream = (...parts: ReadonlyArray<string | number>) => {
  const base = hash(...parts)
  return (label: string): number => {
    let key = labels.get(label)
    if (key === undefined) {
      key = hash(label)
      labels.set(label, key)
    }
    return mix(base ^ key) / 4294967296
  }
}

/** @internal A uniform number in [0, 1) from a hash. */
export const unit = (...parts: ReadonlyArray<string | number>): number => hash(...parts) / 4294967296

const DAY_MS = 86_400_000

/** @internal */
export const dayNumber = (isoDay: string): number => Math.floor(Date.parse(`${isoDay}T00:00:00Z`) / DAY_MS)

const isoDays = new Map<number, string>()

/** @internal */
export const isoDay = (day: number): string => {
  let text = isoDays.get(day)
  if (text === undefined) {
    text = new Date(day * DAY_MS).toISOString().slice(0, 10)
    if (isoDays.size < 100_000) isoDays.set(day, text)
  }
  return text
}

/** @internal What the fake generates. */
export type Kind = "contratacao" | "contrato" | "ata" | "pca" | "instrumento"

/** @internal The parameters that shape the data. */
export interface Shape {
  readonly seed: number
  readonly scale: number
  readonly volumes: Volumes
  /** Share of records updated (again) on a later day, within 30 days. */
  readonly updateRate: number
}

/** @internal A record's identity: when and where it was first published. */
export interface Origin {
  readonly kind: Kind
  readonly day: number
  readonly modalidade: number
  readonly index: number
}

/** @internal How many records of a kind a day (and modalidade) has: a hash, never a generation. */
export const count = (shape: Shape, kind: Kind, day: number, modalidade?: number): number => {
  const weekday = new Date(day * DAY_MS).getUTCDay()
  const weekend = weekday === 0 || weekday === 6 ? 0.2 : 1
  const base = kind === "contratacao"
    ? shape.volumes.contratacoes * (modalidadeShare[modalidade ?? 0] ?? 0)
    : kind === "contrato"
    ? shape.volumes.contratos
    : kind === "ata"
    ? shape.volumes.atas
    : kind === "pca"
    ? shape.volumes.pca
    : shape.volumes.instrumentos
  const noise = 0.85 + 0.3 * unit(shape.seed, "count", kind, day, modalidade ?? 0)
  return Math.round(base * shape.scale * weekend * noise)
}

const slotsOf = (kind: Kind): ReadonlyArray<number> =>
  kind === "contratacao" ? [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13] : [0]

const yearStart = (year: number) => Math.floor(Date.UTC(year, 0, 1) / DAY_MS)

// Prefix sums of the counts of a (kind, year): 366 × 13 hashes, once per shape.
const prefixes = new WeakMap<Shape, Map<string, Float64Array>>()

const prefixOf = (shape: Shape, kind: Kind, year: number): Float64Array => {
  let byKey = prefixes.get(shape)
  if (byKey === undefined) {
    byKey = new Map()
    prefixes.set(shape, byKey)
  }
  const key = `${kind}|${year}`
  let prefix = byKey.get(key)
  if (prefix === undefined) {
    const slots = slotsOf(kind)
    const first = yearStart(year)
    const days = yearStart(year + 1) - first
    prefix = new Float64Array(days * slots.length + 1)
    for (let d = 0; d < days; d++) {
      for (let s = 0; s < slots.length; s++) {
        const i = d * slots.length + s
        prefix[i + 1] = (prefix[i] ?? 0) + count(shape, kind, first + d, slots[s])
      }
    }
    byKey.set(key, prefix)
  }
  return prefix
}

/**
 * A weighted dealing table: big órgãos (a Zipf-like weight) and populous UFs get more slots, so a few órgãos
 * dominate and SP, MG, RJ… outweigh the samples' many small SC municípios.
 */
const ufWeight: Readonly<Record<string, number>> = { SP: 8, MG: 5, RJ: 5, PR: 4, BA: 3, DF: 3, RS: 1.5 }

const table: ReadonlyArray<number> = samples.orgaos.flatMap((orgao, i) => {
  const uf = orgao.unidadeOrgao.ufSigla
  const zipf = 40 / (1 + (hash("orgao-rank", orgao.orgaoEntidade.cnpj) % samples.orgaos.length))
  // The samples' órgãos are mostly small SC municípios: one slot each, so they stay a minority.
  const weight = uf === "SC" ? 1 : Math.round((ufWeight[uf] ?? 2) * 12 * (1 + zipf / 10))
  return Array.from({ length: weight }, () => i)
})

// For each órgão, the positions of its slots in the table.
const positions: ReadonlyArray<ReadonlyArray<number>> = samples.orgaos.map((_, i) =>
  table.flatMap((owner, position) => owner === i ? [position] : [])
)

// Never used: `table` only holds indexes of `samples.orgaos`; it keeps the lookup total.
const fallback = { orgaoEntidade: samples.contratacao.orgaoEntidade, unidadeOrgao: samples.contratacao.unidadeOrgao }

const orgaoIndexes = new Map(samples.orgaos.map((orgao, index) => [orgao.orgaoEntidade.cnpj, index]))

/** @internal The document-kind digit of `numeroControlePNCP` (manual §4.1): 1 compra, 2 contrato, 0 PCA. */
export type KindCode = 0 | 1 | 2

/** @internal A record's órgão, year and sequential, and its `numeroControlePNCP`. */
export const identity = (shape: Shape, origin: Origin, kindCode: KindCode) => {
  const year = new Date(origin.day * DAY_MS).getUTCFullYear()
  const slots = slotsOf(origin.kind)
  const slot = (origin.day - yearStart(year)) * slots.length + Math.max(0, slots.indexOf(origin.modalidade))
  const rank = (prefixOf(shape, origin.kind, year)[slot] ?? 0) + origin.index
  const position = rank % table.length
  const orgaoIndex = table[position] ?? 0
  const own = positions[orgaoIndex] ?? [position]
  const sequencial = Math.floor(rank / table.length) * own.length + own.indexOf(position) + 1
  const orgao = samples.orgaos[orgaoIndex] ?? fallback
  const cnpj = orgao.orgaoEntidade.cnpj
  return {
    orgao,
    cnpj,
    year,
    sequencial,
    control: `${cnpj}-${kindCode}-${String(sequencial).padStart(6, "0")}/${year}`
  }
}

/** @internal The origin of a (cnpj, ano, sequencial) of a kind; undefined when no such record exists. */
export const decode = (
  shape: Shape,
  kind: Kind,
  compra: { readonly cnpj: string; readonly ano: number; readonly sequencial: number }
): Origin | undefined => {
  const orgaoIndex = orgaoIndexes.get(compra.cnpj)
  const own = orgaoIndex === undefined ? undefined : positions[orgaoIndex]
  if (own === undefined || !Number.isInteger(compra.sequencial) || compra.sequencial < 1) return undefined
  if (!Number.isInteger(compra.ano) || compra.ano < 2021 || compra.ano > 2100) return undefined
  const n = compra.sequencial - 1
  const rank = Math.floor(n / own.length) * table.length + (own[n % own.length] ?? 0)
  const prefix = prefixOf(shape, kind, compra.ano)
  if (rank >= (prefix[prefix.length - 1] ?? 0)) return undefined
  // The last slot whose prefix is ≤ rank (binary search).
  let lo = 0
  let hi = prefix.length - 2
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if ((prefix[mid] ?? 0) <= rank) lo = mid
    else hi = mid - 1
  }
  const slots = slotsOf(kind)
  return {
    kind,
    day: yearStart(compra.ano) + Math.floor(lo / slots.length),
    modalidade: slots[lo % slots.length] ?? 0,
    index: rank - (prefix[lo] ?? 0)
  }
}
