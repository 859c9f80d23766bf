/**
 * The fake's data, generated lazily and deterministically: every record is a pure function of (seed, kind, day,
 * modalidade, index), built on a real record of its kind so field names, nesting, nulls and quirks stay real.
 *
 * @internal
 */
import { modalidades } from "../Endpoints.js"
import type { Origin, Shape } from "./fakeIdentity.js"
import { count, hash, identity, isoDay, mix, stream } from "./fakeIdentity.js"
import { samples } from "./fakeSamples.js"

export { count, dayNumber, decode, defaultVolumes, hash, isoDay, modalidadeShare, unit } from "./fakeIdentity.js"
export type { Kind, Origin, Shape, Volumes } from "./fakeIdentity.js"

const two = (n: number) => (n < 10 ? "0" : "") + n

/** `yyyy-MM-ddTHH:mm:ss`, by arithmetic (Date formatting dominated a record's cost). */
const at = (day: number, secondOfDay: number): string => {
  const total = Math.floor(secondOfDay)
  const carry = Math.floor(total / 86_400)
  const s = total - carry * 86_400
  return `${isoDay(day + carry)}T${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}`
}

/** A log-normal amount in reais, two decimals: most small, a long tail of large ones. */
const amount = (u1: number, u2: number, median: number): number => {
  const normal = Math.sqrt(-2 * Math.log(Math.max(u1, 1e-12))) * Math.cos(2 * Math.PI * u2)
  return Math.round(median * Math.exp(1.6 * normal) * 100) / 100
}

// The index is always within the (non-empty) list; the cast drops the `undefined` of indexed access.
const nth = <A>(list: ReadonlyArray<A>, index: number): A => list[index % list.length] as A

const pick = <A>(list: ReadonlyArray<A>, u: number): A => nth(list, Math.floor(u * list.length))

const seq6 = (n: number): string => String(n).padStart(6, "0")

/** @internal The day a record is updated again, if it is. */
export const updateDay = (shape: Shape, origin: Origin): number | undefined => {
  const key = [shape.seed, "update", origin.kind, origin.day, origin.modalidade, origin.index] as const
  const h = hash(...key)
  return h / 4294967296 < shape.updateRate ? origin.day + 1 + (mix(h ^ 0x5bd1e995) % 30) : undefined
}

/**
 * @internal Whether a record has an update. The fake answers as of a time after every update, so such a record's
 * current version, the one every endpoint serves, is the updated one.
 */
export const isUpdated = (shape: Shape, origin: Origin): boolean => updateDay(shape, origin) !== undefined

/** The contratação a contrato or an ata comes from: a real one, published `back` days earlier. */
const compraOf = (shape: Shape, origin: Origin, back: number, modalidade: number) => {
  const day = origin.day - back
  const n = count(shape, "contratacao", day, modalidade)
  if (n === 0) return undefined
  const index = origin.index % n
  const { control, orgao } = identity(shape, { kind: "contratacao", day, modalidade, index }, 1)
  return { control, orgao, n }
}

const version = (shape: Shape, origin: Origin, updated: boolean) => {
  // Publication times grow with the index, so a day's records come out sorted by `dataPublicacaoPncp`.
  const published = at(origin.day, 25_200 + Math.min(50_000, origin.index * 6) + (origin.modalidade % 6))
  const update = updated ? updateDay(shape, origin) : undefined
  const changed = update === undefined ? published : at(update, 30_000 + (origin.index % 3600))
  return { published, changed }
}

type Draw = (label: string) => number

/**
 * A sub-rogação for about 2% of records (the samples have none: it is rare): another real órgão with its unidade, as
 * the spec's `RecuperarOrgaoEntidadeDTO` / `RecuperarUnidadeOrgaoDTO`; otherwise the samples' nulls stand.
 */
const subRogacao = (u: Draw, cnpj: string) => {
  if (u("subRogado") >= 0.02) return {}
  const i = Math.floor(u("subOrgao") * samples.orgaos.length)
  // Never the record's own órgão: the next one instead.
  const orgao = nth(samples.orgaos, nth(samples.orgaos, i).orgaoEntidade.cnpj === cnpj ? i + 1 : i)
  return { orgaoSubRogado: orgao.orgaoEntidade, unidadeSubRogada: orgao.unidadeOrgao }
}

// Illustrative: the samples' lists are all empty and the spec gives only the shape (`ContratacaoFonteOrcamentariaDTO`).
const fontes = [
  [1, "Recursos Próprios", "Recursos próprios do ente"],
  [2, "Transferências da União", "Recursos transferidos pela União"],
  [3, "Transferências do Estado", "Recursos transferidos pelo Estado"],
  [4, "Operações de Crédito", "Recursos de operações de crédito"],
  [5, "Emendas Parlamentares", "Recursos de emendas parlamentares"]
] as const

/** The fontes orçamentárias of about a fifth of the contratações (1–2, distinct), included at publication. */
const fontesOrcamentarias = (u: Draw, published: string) => {
  if (u("fontes") >= 0.2) return []
  const first = Math.floor(u("fonte") * fontes.length)
  return Array.from({ length: u("fontesN") < 0.7 ? 1 : 2 }, (_, k) => {
    const [codigo, nome, descricao] = nth(fontes, first + k)
    return { codigo, nome, descricao, dataInclusao: published }
  })
}

/** @internal A contratação as `/v1/contratacoes/*` returns it: as published, or as `updated`. */
export const contratacao = (shape: Shape, origin: Origin, updated: boolean) => {
  const id = identity(shape, origin, 1)
  const { changed, published } = version(shape, origin, updated)
  const u = stream(shape.seed, "contratacao", origin.day, origin.modalidade, origin.index)
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
    modalidadeNome: modalidades.find((m) => m.codigo === origin.modalidade)?.nome ?? "",
    fontesOrcamentarias: fontesOrcamentarias(u, published),
    situacaoCompraId: updated && u("s") < 0.1 ? 4 : 1,
    situacaoCompraNome: updated && u("s") < 0.1 ? "Suspensa" : "Divulgada no PNCP",
    ...subRogacao(u, id.cnpj)
  }
}

/**
 * @internal A contratação as its lookup (`/v1/orgaos/{cnpj}/compras/{ano}/{sequencial}`) returns it: the spec's
 * `RecuperarCompraDTO`, the list's record and four fields.
 */
export const compra = (shape: Shape, origin: Origin) => {
  const record = contratacao(shape, origin, isUpdated(shape, origin))
  return {
    ...record,
    // None of the fake's itens is sigiloso (the sample item's `orcamentoSigiloso` is false), so neither is the compra.
    indicadorOrcamentoSigiloso: "COMPRA_SEM_SIGILO",
    orcamentoSigilosoCodigo: 1,
    orcamentoSigilosoDescricao: "Compra sem sigilo",
    existeResultado: record.valorTotalHomologado !== null
  }
}

/** @internal A contrato as `/v1/contratos*` returns it: as published, or as `updated`. */
export const contrato = (shape: Shape, origin: Origin, updated: boolean) => {
  const id = identity(shape, origin, 2)
  const { changed, published } = version(shape, origin, updated)
  const u = stream(shape.seed, origin.kind, origin.day, origin.index)
  const compra = compraOf(shape, origin, 20 + (origin.index % 10), u("m") < 0.5 ? 8 : 6)
  const valor = amount(u("v1"), u("v2"), 20_000)
  const fornecedor = pick(samples.fornecedores, Math.pow(u("f"), 2))
  const valorGlobal = updated ? Math.round(valor * 1.25 * 100) / 100 : valor
  // As in the real page (contratos.page1.json): "BRA" for 97.6% (the rest null, and their valorAcumulado too);
  // valorAcumulado null for 3.6%, the valorGlobal for 1.4%, 0 for the rest.
  const w = u("acumulado")
  return {
    ...samples.contrato,
    ...fornecedor,
    codigoPaisFornecedor: w < 0.024 ? null : "BRA",
    valorAcumulado: w < 0.036 ? null : w < 0.05 ? valorGlobal : 0,
    numeroControlePncpCompra: compra?.control ?? null,
    numeroControlePNCP: id.control,
    objetoContrato: pick(samples.objetos, u("obj")),
    valorInicial: valor,
    valorParcela: valor,
    valorGlobal,
    dataAtualizacaoGlobal: changed,
    anoContrato: id.year,
    dataAssinatura: isoDay(origin.day - 1),
    dataVigenciaInicio: isoDay(origin.day),
    dataVigenciaFim: isoDay(origin.day + 30 + (origin.index % 700)),
    orgaoEntidade: id.orgao.orgaoEntidade,
    unidadeOrgao: id.orgao.unidadeOrgao,
    dataPublicacaoPncp: published,
    dataAtualizacao: changed,
    sequencialContrato: id.sequencial,
    ...subRogacao(u, id.cnpj)
  }
}

/**
 * @internal An ata's vigência lasts `min + index % spread` days from its publication day; `/v1/atas` selects by it, so
 * the selector and the record share these.
 */
export const ataVigencia = { min: 180, spread: 550 } as const

/** @internal An ata as `/v1/atas*` returns it, as published or as `updated` (date-only dates, as in the real API). */
export const ata = (shape: Shape, origin: Origin, updated: boolean) => {
  const id = identity(shape, origin, 1)
  // Atas register the prices of a pregão eletrônico published 10 days before; (compra, ata number) is unique.
  const compra = compraOf(shape, origin, 10, 6)
  const numeroAta = compra === undefined ? 1 : 1 + Math.floor(origin.index / compra.n)
  const compraControl = compra?.control ?? id.control
  // An ata is its contratação's órgão's (and unidade's): the real `numeroControlePNCPCompra` starts with `cnpjOrgao`.
  const orgao = compra?.orgao ?? id.orgao
  const { changed, published } = version(shape, origin, updated)
  const vigencia = ataVigencia.min + (origin.index % ataVigencia.spread)
  return {
    ...samples.ata,
    numeroControlePNCPAta: `${compraControl}-${seq6(numeroAta)}`,
    numeroAtaRegistroPreco: String(1 + (origin.index % 400)),
    anoAta: id.year,
    numeroControlePNCPCompra: compraControl,
    cancelado: updated && origin.index % 17 === 0,
    // cancelled by the update that says so
    dataCancelamento: updated && origin.index % 17 === 0 ? changed.slice(0, 10) : null,
    dataAssinatura: isoDay(origin.day - 2),
    vigenciaInicio: isoDay(origin.day),
    vigenciaFim: isoDay(origin.day + vigencia),
    dataPublicacaoPncp: published.slice(0, 10),
    dataInclusao: published.slice(0, 10),
    dataAtualizacao: changed.slice(0, 10),
    dataAtualizacaoGlobal: changed.slice(0, 10),
    objetoContratacao: pick(samples.objetos, stream(shape.seed, "ata", origin.day, origin.index)("obj")),
    cnpjOrgao: orgao.orgaoEntidade.cnpj,
    nomeOrgao: orgao.orgaoEntidade.razaoSocial,
    codigoUnidadeOrgao: orgao.unidadeOrgao.codigoUnidade,
    nomeUnidadeOrgao: orgao.unidadeOrgao.nomeUnidade
  }
}

// The classes (materiais) and groups (serviços) of the real PCA unit's eight itens
// (baliza-endpoint-test-results-9-endpoints.json): what `codigoClassificacaoSuperior` selects.
const classificacoes: Readonly<Record<"material" | "servico", ReadonlyArray<readonly [string, string]>>> = {
  material: [
    ["7110", "MOBILIÁRIO PARA ESCRITÓRIO"],
    ["7520", "ACESSÓRIOS E DISPOSITIVOS PARA ESCRITÓRIO"],
    ["5965", "FONES, MICROFONES E ALTO-FALANTES"],
    ["7195", "MOBILIÁRIOS DIVERSOS E ACESSÓRIOS"],
    ["7090", "SUPRIMENTOS DE INFORMÁTICA - TIC"],
    ["7060", "PEÇAS E ACESSÓRIOS PARA COMPUTADORES"]
  ],
  servico: [
    ["5469", "OUTROS SERVIÇOS DE INSTALAÇÃO"],
    ["5471", "SERVIÇOS DE INSTALAÇÃO DE VIDROS"]
  ]
}

const pcaItem = (shape: Shape, origin: Origin, numeroItem: number, changed: string) => {
  const u = stream(shape.seed, "pcaItem", origin.day, origin.index, numeroItem)
  const quantidade = 1 + Math.floor(u("q") * 100)
  const valorUnitario = amount(u("v1"), u("v2"), 300)
  const categoria = 1 + Math.floor(u("c") * 2)
  const [classificacaoSuperiorCodigo, classificacaoSuperiorNome] = pick(
    categoria === 1 ? classificacoes.material : classificacoes.servico,
    u("classe")
  )
  return {
    ...samples.pca.itens[0],
    classificacaoSuperiorCodigo,
    classificacaoSuperiorNome,
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
  const id = identity(shape, origin, 0)
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

// Illustrative NF-e events (the sample's list is empty; the spec gives the shape, `EventoNotaFiscalConsultaDTO`).
const nfeEventos = [
  ["110110", "Carta de Correção", "Correção da descrição do item"],
  ["110111", "Cancelamento", "Nota emitida em duplicidade"],
  ["210200", "Confirmação da Operação", "Mercadoria recebida"]
] as const

/** `dd/MM/yyyy HH:mm:ss`, the NF-e's own date format. */
const brazilian = (day: number, secondOfDay: number): string => {
  const [date, time] = at(day, secondOfDay).split("T")
  return `${date?.split("-").reverse().join("/")} ${time}`
}

/**
 * An NF-e access key (44 digits): UF, year and month of emission, the emitter's CNPJ, model 55, series, number, a
 * random code and the mod-11 check digit, as SEFAZ composes it.
 */
const nfeChave = (emitted: string, cnpjEmitente: string, serie: number, numero: number, code: number): string => {
  const digits = `15${emitted.slice(2, 4)}${emitted.slice(5, 7)}${cnpjEmitente.replace(/\D/g, "")}55${
    String(serie).padStart(3, "0")
  }${String(numero).padStart(9, "0")}1${String(code).padStart(8, "0")}`
  let sum = 0
  for (let i = digits.length - 1, weight = 2; i >= 0; i--, weight = weight === 9 ? 2 : weight + 1) {
    sum += Number(digits[i]) * weight
  }
  const rest = sum % 11
  return digits + (rest < 2 ? 0 : 11 - rest)
}

/**
 * An instrumento's NF-e, emitted on `day` with its own number and access key and authorized that afternoon. About a
 * tenth have an event after their authorization, which becomes their most recent one; the rest keep the sample's
 * (no events, "Autorização de Uso").
 */
const notaFiscal = (u: Draw, day: number, numero: number) => {
  const nota = samples.instrumento.notaFiscalEletronica
  const emitted = isoDay(day)
  const chave = nfeChave(emitted, nota.niEmitente, nota.serie, numero, Math.floor(u("cNF") * 1e8))
  const authorized = {
    ...nota,
    chave,
    numero,
    dataEmissao: brazilian(day, 0).slice(0, 10),
    dataTipoEventoMaisRecente: brazilian(day, 50_000 + Math.floor(u("autorizacaoAt") * 7_200))
  }
  if (u("eventos") >= 0.1) return authorized
  const [tipoEvento, evento, motivoEvento] = pick(nfeEventos, u("evento"))
  const dataEvento = brazilian(day + 1, 36_000 + Math.floor(u("eventoAt") * 20_000))
  return {
    ...authorized,
    tipoEventoMaisRecente: evento,
    dataTipoEventoMaisRecente: dataEvento,
    eventos: [{ dataEvento, tipoEvento, evento, motivoEvento }]
  }
}

// The fields of the NF-e portal's answer (`notaFiscalDTO` and the events) that come from the record's NF-e.
const nfeResponseFields = [
  ["chaveNotaFiscal", "chave"],
  ["numero", "numero"],
  ["dataEmissao", "dataEmissao"],
  ["tipoEventoMaisRecente", "tipoEventoMaisRecente"],
  ["dataTipoEventoMaisRecente", "dataTipoEventoMaisRecente"],
  ["eventosNotaFiscal", "eventos"]
] as const

/** The NF-e portal's answer the instrumento keeps as text (`jsonResponseNFe`), for this record's NF-e. */
const nfeResponse = (nota: ReturnType<typeof notaFiscal>): string => {
  const sample = samples.instrumento.notaFiscalEletronica
  return nfeResponseFields.reduce(
    (text, [name, field]) =>
      text.replace(`"${name}":${JSON.stringify(sample[field])}`, `"${name}":${JSON.stringify(nota[field])}`),
    samples.instrumento.jsonResponseNFe
  )
}

/**
 * The contrato an instrumento bills and the instrumento's sequencial in it: the k-th (1–4) comes 7·k days after the
 * contrato's publication, within its vigência. Instrumento `4m + k - 1` of a day bills contrato `m mod n` of that
 * day, so (cnpj, ano, sequencialContrato, sequencialInstrumentoCobranca) stays unique. Undefined when no contrato was
 * published that day (only with tiny custom volumes).
 */
const billed = (shape: Shape, origin: Origin) => {
  const k = origin.index % 4
  const m = Math.floor(origin.index / 4)
  const day = origin.day - 7 * (k + 1)
  const n = count(shape, "contrato", day)
  if (n === 0) return undefined
  const contrato: Origin = { kind: "contrato", day, modalidade: 0, index: m % n }
  return { contrato, sequencial: 1 + k + 4 * Math.floor(m / n) }
}

/** Without a contrato to bill: the template's, under an identity of the instrumento's own (unique among those). */
const ownContrato = (shape: Shape, origin: Origin) => {
  const id = identity(shape, origin, 2)
  return {
    ...samples.instrumento.recuperarContratoDTO,
    orgaoEntidade: id.orgao.orgaoEntidade,
    unidadeOrgao: id.orgao.unidadeOrgao,
    anoContrato: id.year,
    sequencialContrato: id.sequencial,
    numeroControlePNCP: id.control
  }
}

/** @internal An instrumento de cobrança (an NF-e of a contrato). */
export const instrumento = (shape: Shape, origin: Origin) => {
  const { published } = version(shape, origin, false)
  const numero = 1000 + origin.index
  // Emitted three days before the instrumento is published (its event, if any, the day after emission).
  const nota = notaFiscal(stream(shape.seed, "instrumento", origin.day, origin.index), origin.day - 3, numero)
  const bill = billed(shape, origin)
  // The contrato as it stood when the instrumento was included (updated before, or not yet).
  const update = bill === undefined ? undefined : updateDay(shape, bill.contrato)
  const dto = bill === undefined
    ? ownContrato(shape, origin)
    : contrato(shape, bill.contrato, update !== undefined && update < origin.day)
  return {
    ...samples.instrumento,
    notaFiscalEletronica: { ...nota, dataInclusao: published, dataAtualizacao: published },
    chaveNFe: nota.chave,
    jsonResponseNFe: nfeResponse(nota),
    cnpj: dto.orgaoEntidade.cnpj,
    ano: dto.anoContrato,
    sequencialContrato: dto.sequencialContrato,
    sequencialInstrumentoCobranca: bill?.sequencial ?? 1 + (origin.index % 4),
    // Listed by data de inclusão: included on its own day.
    dataInclusao: published,
    dataAtualizacao: published,
    recuperarContratoDTO: dto,
    numeroInstrumentoCobranca: String(numero),
    dataEmissaoDocumento: isoDay(origin.day - 3),
    dataConsultaNFe: published
  }
}

/** @internal How many itens a contratação has (5–20). */
export const itensCount = (seed: number, control: string): number => 5 + (hash(seed, "itens", control) % 16)

/** @internal Item `numeroItem` of a contratação, as `/api/pncp/…/itens` returns it. */
export const item = (seed: number, control: string, numeroItem: number) => {
  const u = stream(seed, "item", control, numeroItem)
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

/** @internal The arquivos of a contratação (1 to `most` documents, by default 5). */
export const arquivos = (
  seed: number,
  compra: { readonly cnpj: string; readonly ano: number; readonly sequencial: number },
  most = 5
) => {
  const n = 1 + (hash(seed, "arquivos", compra.cnpj, compra.ano, compra.sequencial) % most)
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
