/**
 * The record Schemas of the PNCP APIs, one per record kind, with the field names, nesting and types of the real
 * payloads in `shared/pncp-samples` (generated from every real sample record, then kept by hand).
 *
 * **Details**
 *
 * Every field but the natural key is optional and nullable: the API leaves fields null or out, and adds fields over
 * time. Dates stay strings (`2025-06-24T00:00:46`, or date-only for atas): staging casts them in SQL, where a junk
 * value (an ata ending in 7203) is visible rather than a decode failure. Decoding strips unknown fields — the raw
 * archive keeps every byte, and `SchemaDrift` reports fields these Schemas do not know. Numbers are typed as the specs
 * type them: an `integer` (years, sequenciais, codes, ids) is `Schema.Int` and a BIGINT column in staging, a `number`
 * (valores, quantidades) a `Schema.Number` and a DOUBLE.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/** A field the API may leave null or out. */
const field = <A, I, R>(schema: Schema.Schema<A, I, R>) => Schema.optional(Schema.NullOr(schema))

/**
 * The órgão (entity) of a record.
 *
 * @since 0.1.0
 * @category schemas
 */
export const OrgaoEntidade = Schema.Struct({
  cnpj: field(Schema.String),
  razaoSocial: field(Schema.String),
  poderId: field(Schema.String),
  esferaId: field(Schema.String)
}).annotations({ identifier: "OrgaoEntidade" })

/**
 * The unidade administrativa of a record.
 *
 * @since 0.1.0
 * @category schemas
 */
export const UnidadeOrgao = Schema.Struct({
  ufNome: field(Schema.String),
  codigoIbge: field(Schema.String),
  codigoUnidade: field(Schema.String),
  nomeUnidade: field(Schema.String),
  ufSigla: field(Schema.String),
  municipioNome: field(Schema.String)
}).annotations({ identifier: "UnidadeOrgao" })

/**
 * A code-table reference (`tipoContrato`, `categoriaProcesso`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Codigo = Schema.Struct({ id: field(Schema.Int), nome: field(Schema.String) })

/**
 * A fonte orçamentária of a contratação (`ContratacaoFonteOrcamentariaDTO`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const FonteOrcamentaria = Schema.Struct({
  codigo: field(Schema.Int),
  nome: field(Schema.String),
  descricao: field(Schema.String),
  dataInclusao: field(Schema.String)
}).annotations({ identifier: "FonteOrcamentaria" })

/**
 * An event of an NF-e (`EventoNotaFiscalConsultaDTO`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const EventoNotaFiscal = Schema.Struct({
  dataEvento: field(Schema.String),
  tipoEvento: field(Schema.String),
  evento: field(Schema.String),
  motivoEvento: field(Schema.String)
}).annotations({ identifier: "EventoNotaFiscal" })

/**
 * A contratação (compra) of `/v1/contratacoes/*`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Contratacao = Schema.Struct({
  srp: field(Schema.Boolean),
  orgaoEntidade: field(OrgaoEntidade),
  anoCompra: field(Schema.Int),
  sequencialCompra: field(Schema.Int),
  dataInclusao: field(Schema.String),
  dataPublicacaoPncp: field(Schema.String),
  dataAtualizacao: field(Schema.String),
  numeroCompra: field(Schema.String),
  unidadeOrgao: field(UnidadeOrgao),
  amparoLegal: field(Schema.Struct({
    descricao: field(Schema.String),
    nome: field(Schema.String),
    codigo: field(Schema.Int)
  })),
  dataAberturaProposta: field(Schema.String),
  dataEncerramentoProposta: field(Schema.String),
  informacaoComplementar: field(Schema.String),
  processo: field(Schema.String),
  objetoCompra: field(Schema.String),
  linkSistemaOrigem: field(Schema.String),
  justificativaPresencial: field(Schema.String),
  // The spec's órgão and unidade DTOs, the same as `orgaoEntidade` and `unidadeOrgao` (null unless sub-rogated).
  unidadeSubRogada: field(UnidadeOrgao),
  orgaoSubRogado: field(OrgaoEntidade),
  valorTotalHomologado: field(Schema.Number),
  numeroControlePNCP: Schema.String,
  modoDisputaId: field(Schema.Int),
  dataAtualizacaoGlobal: field(Schema.String),
  linkProcessoEletronico: field(Schema.String),
  modalidadeId: field(Schema.Int),
  valorTotalEstimado: field(Schema.Number),
  modalidadeNome: field(Schema.String),
  modoDisputaNome: field(Schema.String),
  tipoInstrumentoConvocatorioCodigo: field(Schema.Int),
  tipoInstrumentoConvocatorioNome: field(Schema.String),
  fontesOrcamentarias: field(Schema.Array(FonteOrcamentaria)),
  situacaoCompraId: field(Schema.Number),
  situacaoCompraNome: field(Schema.String),
  usuarioNome: field(Schema.String)
}).annotations({ identifier: "Contratacao" })

/**
 * @since 0.1.0
 * @category schemas
 */
export interface Contratacao extends Schema.Schema.Type<typeof Contratacao> {}

/**
 * A contrato of `/v1/contratos*`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Contrato = Schema.Struct({
  numeroControlePncpCompra: field(Schema.String),
  codigoPaisFornecedor: field(Schema.String),
  numeroControlePNCP: Schema.String,
  receita: field(Schema.Boolean),
  numeroParcelas: field(Schema.Int),
  numeroRetificacao: field(Schema.Int),
  tipoPessoaSubContratada: field(Schema.String),
  objetoContrato: field(Schema.String),
  valorInicial: field(Schema.Number),
  valorParcela: field(Schema.Number),
  valorGlobal: field(Schema.Number),
  valorAcumulado: field(Schema.Number),
  dataAtualizacaoGlobal: field(Schema.String),
  identificadorCipi: field(Schema.String),
  urlCipi: field(Schema.String),
  anoContrato: field(Schema.Int),
  tipoContrato: field(Codigo),
  numeroContratoEmpenho: field(Schema.String),
  dataAssinatura: field(Schema.String),
  dataVigenciaInicio: field(Schema.String),
  dataVigenciaFim: field(Schema.String),
  niFornecedor: field(Schema.String),
  tipoPessoa: field(Schema.String),
  orgaoEntidade: field(OrgaoEntidade),
  categoriaProcesso: field(Codigo),
  dataPublicacaoPncp: field(Schema.String),
  dataAtualizacao: field(Schema.String),
  sequencialContrato: field(Schema.Int),
  unidadeOrgao: field(UnidadeOrgao),
  informacaoComplementar: field(Schema.String),
  processo: field(Schema.String),
  // The spec's órgão and unidade DTOs, the same as `orgaoEntidade` and `unidadeOrgao` (null unless sub-rogated).
  unidadeSubRogada: field(UnidadeOrgao),
  orgaoSubRogado: field(OrgaoEntidade),
  nomeRazaoSocialFornecedor: field(Schema.String),
  niFornecedorSubContratado: field(Schema.String),
  nomeFornecedorSubContratado: field(Schema.String),
  usuarioNome: field(Schema.String)
}).annotations({ identifier: "Contrato" })

/**
 * @since 0.1.0
 * @category schemas
 */
export interface Contrato extends Schema.Schema.Type<typeof Contrato> {}

/**
 * An ata de registro de preço of `/v1/atas*` (dates are date-only).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Ata = Schema.Struct({
  numeroControlePNCPAta: Schema.String,
  numeroAtaRegistroPreco: field(Schema.String),
  anoAta: field(Schema.Int),
  numeroControlePNCPCompra: field(Schema.String),
  cancelado: field(Schema.Boolean),
  dataCancelamento: field(Schema.String),
  dataAssinatura: field(Schema.String),
  vigenciaInicio: field(Schema.String),
  vigenciaFim: field(Schema.String),
  dataPublicacaoPncp: field(Schema.String),
  dataInclusao: field(Schema.String),
  dataAtualizacao: field(Schema.String),
  dataAtualizacaoGlobal: field(Schema.String),
  usuario: field(Schema.String),
  objetoContratacao: field(Schema.String),
  cnpjOrgao: field(Schema.String),
  nomeOrgao: field(Schema.String),
  cnpjOrgaoSubrogado: field(Schema.String),
  nomeOrgaoSubrogado: field(Schema.String),
  codigoUnidadeOrgao: field(Schema.String),
  nomeUnidadeOrgao: field(Schema.String),
  codigoUnidadeOrgaoSubrogado: field(Schema.String),
  nomeUnidadeOrgaoSubrogado: field(Schema.String)
}).annotations({ identifier: "Ata" })

/**
 * @since 0.1.0
 * @category schemas
 */
export interface Ata extends Schema.Schema.Type<typeof Ata> {}

/**
 * A PCA unit of `/v1/pca/*` with its itens.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Pca = Schema.Struct({
  itens: field(Schema.Array(Schema.Struct({
    descricaoItem: field(Schema.String),
    nomeClassificacaoCatalogo: field(Schema.String),
    quantidadeEstimada: field(Schema.Number),
    pdmCodigo: field(Schema.String),
    dataInclusao: field(Schema.String),
    numeroItem: field(Schema.Number),
    dataAtualizacao: field(Schema.String),
    valorTotal: field(Schema.Number),
    pdmDescricao: field(Schema.String),
    codigoItem: field(Schema.String),
    unidadeRequisitante: field(Schema.String),
    grupoContratacaoCodigo: field(Schema.String),
    grupoContratacaoNome: field(Schema.String),
    classificacaoSuperiorCodigo: field(Schema.String),
    classificacaoSuperiorNome: field(Schema.String),
    unidadeFornecimento: field(Schema.String),
    valorUnitario: field(Schema.Number),
    valorOrcamentoExercicio: field(Schema.Number),
    dataDesejada: field(Schema.String),
    categoriaItemPcaNome: field(Schema.String),
    classificacaoCatalogoId: field(Schema.Int)
  }))),
  codigoUnidade: field(Schema.String),
  nomeUnidade: field(Schema.String),
  anoPca: field(Schema.Int),
  orgaoEntidadeRazaoSocial: field(Schema.String),
  orgaoEntidadeCnpj: field(Schema.String),
  idPcaPncp: Schema.String,
  dataPublicacaoPNCP: field(Schema.String),
  dataAtualizacaoGlobalPCA: field(Schema.String)
}).annotations({ identifier: "Pca" })

/**
 * @since 0.1.0
 * @category schemas
 */
export interface Pca extends Schema.Schema.Type<typeof Pca> {}

// A code table entry, as the specs send one (the integração spec's DominioGenericoDTO).
const dominio = {
  id: field(Schema.Int),
  nome: field(Schema.String),
  descricao: field(Schema.String),
  dataInclusao: field(Schema.String),
  dataAtualizacao: field(Schema.String),
  statusAtivo: field(Schema.Boolean)
}

/**
 * An instrumento de cobrança of `/v1/instrumentoscobranca/inclusao`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const InstrumentoCobranca = Schema.Struct({
  cnpj: field(Schema.String),
  ano: field(Schema.Int),
  sequencialContrato: field(Schema.Int),
  sequencialInstrumentoCobranca: field(Schema.Int),
  tipoInstrumentoCobranca: field(Schema.Struct(dominio)),
  numeroInstrumentoCobranca: field(Schema.String),
  dataEmissaoDocumento: field(Schema.String),
  observacao: field(Schema.String),
  chaveNFe: field(Schema.String),
  fonteNFe: field(Schema.Int),
  dataConsultaNFe: field(Schema.String),
  statusResponseNFe: field(Schema.String),
  jsonResponseNFe: field(Schema.String),
  notaFiscalEletronica: field(Schema.Struct({
    instrumentoCobrancaId: field(Schema.Int),
    chave: field(Schema.String),
    nfTransparenciaID: field(Schema.Int),
    numero: field(Schema.Int),
    serie: field(Schema.Int),
    dataEmissao: field(Schema.String),
    niEmitente: field(Schema.String),
    nomeEmitente: field(Schema.String),
    nomeMunicipioEmitente: field(Schema.String),
    codigoOrgaoDestinatario: field(Schema.String),
    nomeOrgaoDestinatario: field(Schema.String),
    codigoOrgaoSuperiorDestinatario: field(Schema.String),
    nomeOrgaoSuperiorDestinatario: field(Schema.String),
    valorNotaFiscal: field(Schema.String),
    tipoEventoMaisRecente: field(Schema.String),
    dataTipoEventoMaisRecente: field(Schema.String),
    dataInclusao: field(Schema.String),
    dataAtualizacao: field(Schema.String),
    itens: field(Schema.Array(Schema.Struct({
      numeroItem: field(Schema.String),
      descricaoProdutoServico: field(Schema.String),
      codigoNCM: field(Schema.String),
      descricaoNCM: field(Schema.String),
      cfop: field(Schema.String),
      quantidade: field(Schema.String),
      unidade: field(Schema.String),
      valorUnitario: field(Schema.String),
      valorTotal: field(Schema.String)
    }))),
    eventos: field(Schema.Array(EventoNotaFiscal))
  })),
  dataInclusao: field(Schema.String),
  dataAtualizacao: field(Schema.String),
  recuperarContratoDTO: field(Contrato)
}).annotations({ identifier: "InstrumentoCobranca" })

/**
 * @since 0.1.0
 * @category schemas
 */
export interface InstrumentoCobranca extends Schema.Schema.Type<typeof InstrumentoCobranca> {}

/**
 * An item of a contratação (`/api/pncp/…/itens`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Item = Schema.Struct({
  numeroItem: Schema.Int,
  descricao: field(Schema.String),
  materialOuServico: field(Schema.String),
  materialOuServicoNome: field(Schema.String),
  valorUnitarioEstimado: field(Schema.Number),
  valorTotal: field(Schema.Number),
  quantidade: field(Schema.Number),
  unidadeMedida: field(Schema.String),
  orcamentoSigiloso: field(Schema.Boolean),
  itemCategoriaId: field(Schema.Int),
  itemCategoriaNome: field(Schema.String),
  patrimonio: field(Schema.String),
  codigoRegistroImobiliario: field(Schema.String),
  criterioJulgamentoId: field(Schema.Int),
  criterioJulgamentoNome: field(Schema.String),
  situacaoCompraItem: field(Schema.Number),
  situacaoCompraItemNome: field(Schema.String),
  tipoBeneficio: field(Schema.Number),
  tipoBeneficioNome: field(Schema.String),
  incentivoProdutivoBasico: field(Schema.Boolean),
  dataInclusao: field(Schema.String),
  dataAtualizacao: field(Schema.String),
  temResultado: field(Schema.Boolean),
  imagem: field(Schema.Int),
  aplicabilidadeMargemPreferenciaNormal: field(Schema.Boolean),
  aplicabilidadeMargemPreferenciaAdicional: field(Schema.Boolean),
  percentualMargemPreferenciaNormal: field(Schema.Number),
  percentualMargemPreferenciaAdicional: field(Schema.Number),
  ncmNbsCodigo: field(Schema.String),
  ncmNbsDescricao: field(Schema.String),
  // CatalogoDTO, DominioGenericoDTO and TipoMargemPreferenciaDTO of the integração spec
  catalogo: field(Schema.Struct({ ...dominio, url: field(Schema.String) })),
  categoriaItemCatalogo: field(Schema.Struct(dominio)),
  catalogoCodigoItem: field(Schema.String),
  informacaoComplementar: field(Schema.String),
  tipoMargemPreferencia: field(Schema.Struct({ codigo: field(Schema.Int), nome: field(Schema.String) })),
  exigenciaConteudoNacional: field(Schema.Boolean)
}).annotations({ identifier: "Item" })

/**
 * @since 0.1.0
 * @category schemas
 */
export interface Item extends Schema.Schema.Type<typeof Item> {}

/**
 * A document of a contratação (`/api/pncp/…/arquivos`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Arquivo = Schema.Struct({
  uri: field(Schema.String),
  url: field(Schema.String),
  tipoDocumentoId: field(Schema.Int),
  titulo: field(Schema.String),
  statusAtivo: field(Schema.Boolean),
  dataPublicacaoPncp: field(Schema.String),
  cnpj: field(Schema.String),
  anoCompra: field(Schema.Int),
  sequencialCompra: field(Schema.Int),
  sequencialDocumento: field(Schema.Int),
  tipoDocumentoNome: field(Schema.String),
  tipoDocumentoDescricao: field(Schema.String)
}).annotations({ identifier: "Arquivo" })

/**
 * @since 0.1.0
 * @category schemas
 */
export interface Arquivo extends Schema.Schema.Type<typeof Arquivo> {}

/**
 * The envelope of a consulta page of `record`s. Its counts are the specs' non-negative `int64`s (`Paginas…DTO`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Page = <A, I, R>(record: Schema.Schema<A, I, R>) =>
  Schema.Struct({
    data: Schema.Array(record),
    totalRegistros: Schema.NonNegativeInt,
    totalPaginas: Schema.NonNegativeInt,
    numeroPagina: Schema.NonNegativeInt,
    paginasRestantes: Schema.NonNegativeInt,
    empty: Schema.Boolean
  })
