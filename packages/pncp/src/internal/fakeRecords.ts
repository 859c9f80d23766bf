/**
 * The fake's data, generated lazily and deterministically: every record is a pure function of (seed, kind, day,
 * modalidade, index), built on a real record of its kind so field names, nesting, nulls and quirks stay real.
 *
 * @internal
 */
import { samples } from "./fakeSamples.js"

/** @internal */
export interface Volumes {
  /** Per weekday, at scale 1 (weekends get a fifth). */
  readonly contratacoes: number
  readonly contratos: number
  readonly atas: number
  readonly pca: number
  readonly instrumentos: number
}

/** @internal Seed 000/004's figures for one day. */
export const defaultVolumes: Volumes = { contratacoes: 6500, contratos: 3500, atas: 1000, pca: 2000, instrumentos: 120 }

/** @internal Share of a day's contratações per modalidade (2 and 3 are usually empty: a 204). */
export const modalidadeShare: Readonly<Record<number, number>> = {
  1: 0.003,
  2: 0,
  3: 0,
  4: 0.03,
  5: 0.005,
  6: 0.35,
  7: 0.01,
  8: 0.45,
  9: 0.12,
  10: 0.002,
  11: 0.003,
  12: 0.025,
  13: 0.002
}

const modalidadeNome: Readonly<Record<number, string>> = {
  1: "Leilão - Eletrônico",
  2: "Diálogo Competitivo",
  3: "Concurso",
  4: "Concorrência - Eletrônica",
  5: "Concorrência - Presencial",
  6: "Pregão - Eletrônico",
  7: "Pregão - Presencial",
  8: "Dispensa de Licitação",
  9: "Inexigibilidade",
  10: "Manifestação de Interesse",
  11: "Pré-qualificação",
  12: "Credenciamento",
  13: "Leilão - Presencial"
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

/** @internal A uniform number in [0, 1) from a hash. */
export const unit = (...parts: ReadonlyArray<string | number>): number => hash(...parts) / 4294967296

const DAY_MS = 86_400_000

/** @internal */
export const dayNumber = (isoDay: string): number => Math.floor(Date.parse(`${isoDay}T00:00:00Z`) / DAY_MS)

/** @internal */
export const isoDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10)

const at = (day: number, secondOfDay: number): string =>
  new Date(day * DAY_MS + Math.floor(secondOfDay) * 1000).toISOString().slice(0, 19)

/** A log-normal amount in reais, two decimals: most small, a long tail of large ones. */
const amount = (u1: number, u2: number, median: number): number => {
  const normal = Math.sqrt(-2 * Math.log(Math.max(u1, 1e-12))) * Math.cos(2 * Math.PI * u2)
  return Math.round(median * Math.exp(1.6 * normal) * 100) / 100
}

const pick = <A>(list: ReadonlyArray<A>, u: number): A => list[Math.floor(u * list.length) % list.length] as A

const seq6 = (n: number): string => String(n).padStart(6, "0")

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

/** @internal How many records of a kind a day (and modalidade) has. */
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

/** @internal A record's identity: when and where it was first published. */
export interface Origin {
  readonly kind: Kind
  readonly day: number
  readonly modalidade: number
  readonly index: number
}

/** @internal The day a record is updated again, if it is. */
export const updateDay = (shape: Shape, origin: Origin): number | undefined => {
  const key = [shape.seed, "update", origin.kind, origin.day, origin.modalidade, origin.index] as const
  return unit(...key) < shape.updateRate ? origin.day + 1 + (hash(...key, "day") % 30) : undefined
}

/**
 * A record's órgão and sequential, unique per (órgão, year) by construction: the record's rank in its year (day of
 * year, modalidade, index — up to 8,192 records per day and modalidade, scale ≈ 2.4) dealt round-robin over the real
 * órgãos.
 */
const identity = (origin: Origin, kindCode: number) => {
  const year = new Date(origin.day * DAY_MS).getUTCFullYear()
  const dayOfYear = origin.day - Math.floor(Date.UTC(year, 0, 1) / DAY_MS)
  const rank = (dayOfYear * 14 + origin.modalidade) * 8192 + origin.index
  const orgao = samples.orgaos[rank % samples.orgaos.length] ?? samples.orgaos[0]
  const sequencial = Math.floor(rank / samples.orgaos.length) + 1
  const cnpj = orgao?.orgaoEntidade.cnpj ?? ""
  return {
    orgao: orgao ?? samples.orgaos[0],
    cnpj,
    year,
    sequencial,
    control: `${cnpj}-${kindCode}-${seq6(sequencial)}/${year}`
  }
}

const version = (shape: Shape, origin: Origin, updated: boolean) => {
  // Publication times grow with the index, so a day's records come out sorted by `dataPublicacaoPncp`.
  const published = at(origin.day, 25_200 + Math.min(50_000, origin.index * 6) + (origin.modalidade % 6))
  const update = updated ? updateDay(shape, origin) : undefined
  const changed = update === undefined ? published : at(update, 30_000 + (origin.index % 3600))
  return { published, changed }
}

/** @internal A contratação as `/v1/contratacoes/*` returns it. */
export const contratacao = (shape: Shape, origin: Origin, updated = false) => {
  const id = identity(origin, 1)
  const { changed, published } = version(shape, origin, updated)
  const u = (k: string) => unit(shape.seed, k, origin.day, origin.modalidade, origin.index)
  const estimado = amount(u("v1"), u("v2"), 45_000)
  const homologado = updated || u("h") < 0.4 ? Math.round(estimado * (0.7 + 0.3 * u("r")) * 100) / 100 : null
  return {
    ...samples.contratacao,
    srp: u("srp") < 0.3,
    orgaoEntidade: id.orgao.orgaoEntidade,
    anoCompra: id.year,
    sequencialCompra: id.sequencial,
    dataInclusao: published,
    dataPublicacaoPncp: published,
    dataAtualizacao: changed,
    numeroCompra: String(1 + (origin.index % 900)).padStart(4, "0"),
    unidadeOrgao: id.orgao.unidadeOrgao,
    dataAberturaProposta: at(origin.day + 1, 32_400),
    dataEncerramentoProposta: at(origin.day + 8 + (origin.index % 7), 32_400),
    processo: String(1 + (origin.index % 5000)),
    objetoCompra: pick(samples.objetos, u("obj")),
    valorTotalHomologado: homologado,
    numeroControlePNCP: id.control,
    dataAtualizacaoGlobal: changed,
    modalidadeId: origin.modalidade,
    valorTotalEstimado: estimado,
    modalidadeNome: modalidadeNome[origin.modalidade] ?? "",
    situacaoCompraId: updated && u("s") < 0.1 ? 4 : 1,
    situacaoCompraNome: updated && u("s") < 0.1 ? "Suspensa" : "Divulgada no PNCP"
  }
}

/** @internal A contrato as `/v1/contratos*` returns it. */
export const contrato = (shape: Shape, origin: Origin, updated = false) => {
  const id = identity(origin, 2)
  const { changed, published } = version(shape, origin, updated)
  const u = (k: string) => unit(shape.seed, k, origin.day, origin.index)
  const valor = amount(u("v1"), u("v2"), 20_000)
  const fornecedor = pick(samples.fornecedores, Math.pow(u("f"), 2))
  return {
    ...samples.contrato,
    ...fornecedor,
    numeroControlePncpCompra: `${id.cnpj}-1-${seq6(1 + (hash("compra", origin.index) % 9000))}/${id.year}`,
    numeroControlePNCP: id.control,
    objetoContrato: pick(samples.objetos, u("obj")),
    valorInicial: valor,
    valorParcela: valor,
    valorGlobal: updated ? Math.round(valor * 1.25 * 100) / 100 : valor,
    dataAtualizacaoGlobal: changed,
    anoContrato: id.year,
    dataAssinatura: isoDay(origin.day - 1),
    dataVigenciaInicio: isoDay(origin.day),
    dataVigenciaFim: isoDay(origin.day + 30 + (origin.index % 700)),
    orgaoEntidade: id.orgao.orgaoEntidade,
    unidadeOrgao: id.orgao.unidadeOrgao,
    dataPublicacaoPncp: published,
    dataAtualizacao: changed,
    sequencialContrato: id.sequencial
  }
}

/** @internal An ata as `/v1/atas*` returns it (dates are date-only, as in the real API). */
export const ata = (shape: Shape, origin: Origin, updated = false) => {
  const id = identity(origin, 1)
  const { changed, published } = version(shape, origin, updated)
  const vigencia = 180 + (origin.index % 550)
  return {
    ...samples.ata,
    numeroControlePNCPAta: `${id.control}-${seq6(1 + (origin.index % 3))}`,
    numeroAtaRegistroPreco: String(1 + (origin.index % 400)),
    anoAta: id.year,
    numeroControlePNCPCompra: id.control,
    cancelado: updated && origin.index % 17 === 0,
    dataAssinatura: isoDay(origin.day - 2),
    vigenciaInicio: isoDay(origin.day),
    vigenciaFim: isoDay(origin.day + vigencia),
    dataPublicacaoPncp: published.slice(0, 10),
    dataInclusao: published.slice(0, 10),
    dataAtualizacao: changed.slice(0, 10),
    dataAtualizacaoGlobal: changed.slice(0, 10),
    objetoContratacao: pick(samples.objetos, unit(shape.seed, "obj", origin.day, origin.index)),
    cnpjOrgao: id.cnpj,
    nomeOrgao: id.orgao.orgaoEntidade.razaoSocial,
    codigoUnidadeOrgao: id.orgao.unidadeOrgao.codigoUnidade,
    nomeUnidadeOrgao: id.orgao.unidadeOrgao.nomeUnidade
  }
}

const pcaItem = (shape: Shape, origin: Origin, numeroItem: number, changed: string) => {
  const u = (k: string) => unit(shape.seed, k, origin.day, origin.index, numeroItem)
  const quantidade = 1 + Math.floor(u("q") * 100)
  const valorUnitario = amount(u("v1"), u("v2"), 300)
  const categoria = 1 + Math.floor(u("c") * 2)
  return {
    ...samples.pca.itens[0],
    descricaoItem: pick(samples.itemDescricoes, u("d")),
    nomeClassificacaoCatalogo: categoria === 1 ? "Material" : "Serviço",
    quantidadeEstimada: quantidade,
    numeroItem,
    dataInclusao: changed,
    dataAtualizacao: changed,
    valorTotal: Math.round(quantidade * valorUnitario * 100) / 100,
    valorUnitario,
    categoriaItemPcaNome: categoria === 1 ? "Material" : "Serviço",
    classificacaoCatalogoId: categoria
  }
}

/** @internal A PCA unit with its itens, as `/v1/pca/atualizacao` returns it. */
export const pca = (shape: Shape, origin: Origin) => {
  const id = identity(origin, 0)
  const { published } = version(shape, origin, false)
  const itens = 1 + (hash(shape.seed, "pcaItens", origin.day, origin.index) % 5)
  return {
    ...samples.pca,
    itens: Array.from({ length: itens }, (_, i) => pcaItem(shape, origin, i + 1, published)),
    codigoUnidade: id.orgao.unidadeOrgao.codigoUnidade,
    nomeUnidade: id.orgao.unidadeOrgao.nomeUnidade,
    anoPca: id.year + 1,
    orgaoEntidadeRazaoSocial: id.orgao.orgaoEntidade.razaoSocial,
    orgaoEntidadeCnpj: id.cnpj,
    idPcaPncp: `${id.cnpj}-0-${seq6(id.sequencial)}/${id.year + 1}`,
    dataPublicacaoPNCP: published,
    dataAtualizacaoGlobalPCA: published
  }
}

/** @internal An instrumento de cobrança (an NF-e of a contrato). */
export const instrumento = (shape: Shape, origin: Origin) => {
  const id = identity(origin, 2)
  const { published } = version(shape, origin, false)
  return {
    ...samples.instrumento,
    cnpj: id.cnpj,
    ano: id.year,
    sequencialContrato: id.sequencial,
    sequencialInstrumentoCobranca: 1 + (origin.index % 4),
    numeroInstrumentoCobranca: String(1000 + origin.index),
    dataEmissaoDocumento: isoDay(origin.day - 3),
    dataConsultaNFe: published
  }
}

/** @internal How many itens a contratação has (5–20). */
export const itensCount = (seed: number, control: string): number => 5 + (hash(seed, "itens", control) % 16)

/** @internal Item `numeroItem` of a contratação, as `/api/pncp/…/itens` returns it. */
export const item = (seed: number, control: string, numeroItem: number) => {
  const u = (k: string) => unit(seed, k, control, numeroItem)
  const quantidade = 1 + Math.floor(u("q") * 500)
  const valorUnitarioEstimado = amount(u("v1"), u("v2"), 80)
  const material = u("m") < 0.7
  return {
    ...samples.item,
    numeroItem,
    descricao: pick(samples.itemDescricoes, u("d")),
    materialOuServico: material ? "M" : "S",
    materialOuServicoNome: material ? "Material" : "Serviço",
    valorUnitarioEstimado,
    valorTotal: Math.round(quantidade * valorUnitarioEstimado * 100) / 100,
    quantidade,
    unidadeMedida: material ? pick(["UNIDADE", "CAIXA", "PACOTE", "LITRO", "QUILOGRAMA"], u("un")) : "SERVIÇO",
    situacaoCompraItem: u("s") < 0.6 ? 2 : 1,
    situacaoCompraItemNome: u("s") < 0.6 ? "Homologado" : "Em Andamento"
  }
}

const documentTypes = [
  [2, "Edital"],
  [4, "Termo de Referência"],
  [7, "Estudo Técnico Preliminar"],
  [16, "Outros Documentos"],
  [3, "Minuta do Contrato"]
] as const

/** @internal The arquivos of a contratação (1–5 documents). */
export const arquivos = (
  seed: number,
  compra: { readonly cnpj: string; readonly ano: number; readonly sequencial: number }
) => {
  const n = 1 + (hash(seed, "arquivos", compra.cnpj, compra.ano, compra.sequencial) % 5)
  const base =
    `https://pncp.gov.br/pncp-api/v1/orgaos/${compra.cnpj}/compras/${compra.ano}/${compra.sequencial}/arquivos`
  return Array.from({ length: n }, (_, i) => {
    const [tipo, nome] = documentTypes[i % documentTypes.length] ?? documentTypes[0]
    return {
      ...samples.arquivo,
      uri: `${base}/${i + 1}`,
      url: `${base}/${i + 1}`,
      tipoDocumentoId: tipo,
      titulo: `${nome.toLowerCase().replaceAll(" ", "-")}-${compra.sequencial}.pdf`,
      cnpj: compra.cnpj,
      anoCompra: compra.ano,
      sequencialCompra: compra.sequencial,
      sequencialDocumento: i + 1,
      tipoDocumentoNome: nome,
      tipoDocumentoDescricao: nome
    }
  })
}

/** @internal How many órgãos the records are dealt over. */
export const orgaoCount = samples.orgaos.length

const orgaoIndexes = new Map(samples.orgaos.map((orgao, index) => [orgao.orgaoEntidade.cnpj, index]))

/** @internal The position of an órgão's CNPJ among them. */
export const orgaoIndex = (cnpj: string): number | undefined => orgaoIndexes.get(cnpj)
