/**
 * The record Schemas of the PNCP APIs, one per record kind, with the field names, nesting and types of the real
 * payloads in `shared/pncp-samples` (generated from every real sample record, then kept by hand).
 *
 * **Details**
 *
 * Every field but the natural key is optional and nullable: the API leaves fields null or out, and adds fields over
 * time. Dates stay strings (`2025-06-24T00:00:46`, or date-only for atas): staging casts them in SQL, where a junk
 * value (an ata ending in 7203) is visible rather than a decode failure. Decoding strips unknown fields — the raw
 * archive keeps every byte, and `SchemaDrift` reports fields these Schemas do not know.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * A contratação (compra) of `/v1/contratacoes/*`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Contratacao = Schema.Struct({
  srp: Schema.optional(Schema.NullOr(Schema.Boolean)),
  orgaoEntidade: Schema.optional(Schema.NullOr(Schema.Struct({
    cnpj: Schema.optional(Schema.NullOr(Schema.String)),
    razaoSocial: Schema.optional(Schema.NullOr(Schema.String)),
    poderId: Schema.optional(Schema.NullOr(Schema.String)),
    esferaId: Schema.optional(Schema.NullOr(Schema.String))
  }))),
  anoCompra: Schema.optional(Schema.NullOr(Schema.Number)),
  sequencialCompra: Schema.optional(Schema.NullOr(Schema.Number)),
  dataInclusao: Schema.optional(Schema.NullOr(Schema.String)),
  dataPublicacaoPncp: Schema.optional(Schema.NullOr(Schema.String)),
  dataAtualizacao: Schema.optional(Schema.NullOr(Schema.String)),
  numeroCompra: Schema.optional(Schema.NullOr(Schema.String)),
  unidadeOrgao: Schema.optional(Schema.NullOr(Schema.Struct({
    ufNome: Schema.optional(Schema.NullOr(Schema.String)),
    codigoIbge: Schema.optional(Schema.NullOr(Schema.String)),
    codigoUnidade: Schema.optional(Schema.NullOr(Schema.String)),
    nomeUnidade: Schema.optional(Schema.NullOr(Schema.String)),
    ufSigla: Schema.optional(Schema.NullOr(Schema.String)),
    municipioNome: Schema.optional(Schema.NullOr(Schema.String))
  }))),
  amparoLegal: Schema.optional(Schema.NullOr(Schema.Struct({
    descricao: Schema.optional(Schema.NullOr(Schema.String)),
    nome: Schema.optional(Schema.NullOr(Schema.String)),
    codigo: Schema.optional(Schema.NullOr(Schema.Number))
  }))),
  dataAberturaProposta: Schema.optional(Schema.NullOr(Schema.String)),
  dataEncerramentoProposta: Schema.optional(Schema.NullOr(Schema.String)),
  informacaoComplementar: Schema.optional(Schema.NullOr(Schema.String)),
  processo: Schema.optional(Schema.NullOr(Schema.String)),
  objetoCompra: Schema.optional(Schema.NullOr(Schema.String)),
  linkSistemaOrigem: Schema.optional(Schema.NullOr(Schema.String)),
  justificativaPresencial: Schema.optional(Schema.NullOr(Schema.String)),
  unidadeSubRogada: Schema.optional(Schema.NullOr(Schema.String)),
  orgaoSubRogado: Schema.optional(Schema.NullOr(Schema.String)),
  valorTotalHomologado: Schema.optional(Schema.NullOr(Schema.Number)),
  numeroControlePNCP: Schema.String,
  modoDisputaId: Schema.optional(Schema.NullOr(Schema.Number)),
  dataAtualizacaoGlobal: Schema.optional(Schema.NullOr(Schema.String)),
  linkProcessoEletronico: Schema.optional(Schema.NullOr(Schema.String)),
  modalidadeId: Schema.optional(Schema.NullOr(Schema.Number)),
  valorTotalEstimado: Schema.optional(Schema.NullOr(Schema.Number)),
  modalidadeNome: Schema.optional(Schema.NullOr(Schema.String)),
  modoDisputaNome: Schema.optional(Schema.NullOr(Schema.String)),
  tipoInstrumentoConvocatorioCodigo: Schema.optional(Schema.NullOr(Schema.Number)),
  tipoInstrumentoConvocatorioNome: Schema.optional(Schema.NullOr(Schema.String)),
  fontesOrcamentarias: Schema.optional(Schema.NullOr(Schema.Array(Schema.Unknown))),
  situacaoCompraId: Schema.optional(Schema.NullOr(Schema.Number)),
  situacaoCompraNome: Schema.optional(Schema.NullOr(Schema.String)),
  usuarioNome: Schema.optional(Schema.NullOr(Schema.String))
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
  numeroControlePncpCompra: Schema.optional(Schema.NullOr(Schema.String)),
  codigoPaisFornecedor: Schema.optional(Schema.NullOr(Schema.String)),
  numeroControlePNCP: Schema.String,
  receita: Schema.optional(Schema.NullOr(Schema.Boolean)),
  numeroParcelas: Schema.optional(Schema.NullOr(Schema.Number)),
  numeroRetificacao: Schema.optional(Schema.NullOr(Schema.Number)),
  tipoPessoaSubContratada: Schema.optional(Schema.NullOr(Schema.String)),
  objetoContrato: Schema.optional(Schema.NullOr(Schema.String)),
  valorInicial: Schema.optional(Schema.NullOr(Schema.Number)),
  valorParcela: Schema.optional(Schema.NullOr(Schema.Number)),
  valorGlobal: Schema.optional(Schema.NullOr(Schema.Number)),
  valorAcumulado: Schema.optional(Schema.NullOr(Schema.Number)),
  dataAtualizacaoGlobal: Schema.optional(Schema.NullOr(Schema.String)),
  identificadorCipi: Schema.optional(Schema.NullOr(Schema.String)),
  urlCipi: Schema.optional(Schema.NullOr(Schema.String)),
  anoContrato: Schema.optional(Schema.NullOr(Schema.Number)),
  tipoContrato: Schema.optional(Schema.NullOr(Schema.Struct({
    id: Schema.optional(Schema.NullOr(Schema.Number)),
    nome: Schema.optional(Schema.NullOr(Schema.String))
  }))),
  numeroContratoEmpenho: Schema.optional(Schema.NullOr(Schema.String)),
  dataAssinatura: Schema.optional(Schema.NullOr(Schema.String)),
  dataVigenciaInicio: Schema.optional(Schema.NullOr(Schema.String)),
  dataVigenciaFim: Schema.optional(Schema.NullOr(Schema.String)),
  niFornecedor: Schema.optional(Schema.NullOr(Schema.String)),
  tipoPessoa: Schema.optional(Schema.NullOr(Schema.String)),
  orgaoEntidade: Schema.optional(Schema.NullOr(Schema.Struct({
    cnpj: Schema.optional(Schema.NullOr(Schema.String)),
    razaoSocial: Schema.optional(Schema.NullOr(Schema.String)),
    poderId: Schema.optional(Schema.NullOr(Schema.String)),
    esferaId: Schema.optional(Schema.NullOr(Schema.String))
  }))),
  categoriaProcesso: Schema.optional(Schema.NullOr(Schema.Struct({
    id: Schema.optional(Schema.NullOr(Schema.Number)),
    nome: Schema.optional(Schema.NullOr(Schema.String))
  }))),
  dataPublicacaoPncp: Schema.optional(Schema.NullOr(Schema.String)),
  dataAtualizacao: Schema.optional(Schema.NullOr(Schema.String)),
  sequencialContrato: Schema.optional(Schema.NullOr(Schema.Number)),
  unidadeOrgao: Schema.optional(Schema.NullOr(Schema.Struct({
    ufNome: Schema.optional(Schema.NullOr(Schema.String)),
    codigoIbge: Schema.optional(Schema.NullOr(Schema.String)),
    codigoUnidade: Schema.optional(Schema.NullOr(Schema.String)),
    nomeUnidade: Schema.optional(Schema.NullOr(Schema.String)),
    ufSigla: Schema.optional(Schema.NullOr(Schema.String)),
    municipioNome: Schema.optional(Schema.NullOr(Schema.String))
  }))),
  informacaoComplementar: Schema.optional(Schema.NullOr(Schema.String)),
  processo: Schema.optional(Schema.NullOr(Schema.String)),
  unidadeSubRogada: Schema.optional(Schema.NullOr(Schema.String)),
  orgaoSubRogado: Schema.optional(Schema.NullOr(Schema.String)),
  nomeRazaoSocialFornecedor: Schema.optional(Schema.NullOr(Schema.String)),
  niFornecedorSubContratado: Schema.optional(Schema.NullOr(Schema.String)),
  nomeFornecedorSubContratado: Schema.optional(Schema.NullOr(Schema.String)),
  usuarioNome: Schema.optional(Schema.NullOr(Schema.String))
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
  numeroAtaRegistroPreco: Schema.optional(Schema.NullOr(Schema.String)),
  anoAta: Schema.optional(Schema.NullOr(Schema.Number)),
  numeroControlePNCPCompra: Schema.optional(Schema.NullOr(Schema.String)),
  cancelado: Schema.optional(Schema.NullOr(Schema.Boolean)),
  dataCancelamento: Schema.optional(Schema.NullOr(Schema.String)),
  dataAssinatura: Schema.optional(Schema.NullOr(Schema.String)),
  vigenciaInicio: Schema.optional(Schema.NullOr(Schema.String)),
  vigenciaFim: Schema.optional(Schema.NullOr(Schema.String)),
  dataPublicacaoPncp: Schema.optional(Schema.NullOr(Schema.String)),
  dataInclusao: Schema.optional(Schema.NullOr(Schema.String)),
  dataAtualizacao: Schema.optional(Schema.NullOr(Schema.String)),
  dataAtualizacaoGlobal: Schema.optional(Schema.NullOr(Schema.String)),
  usuario: Schema.optional(Schema.NullOr(Schema.String)),
  objetoContratacao: Schema.optional(Schema.NullOr(Schema.String)),
  cnpjOrgao: Schema.optional(Schema.NullOr(Schema.String)),
  nomeOrgao: Schema.optional(Schema.NullOr(Schema.String)),
  cnpjOrgaoSubrogado: Schema.optional(Schema.NullOr(Schema.String)),
  nomeOrgaoSubrogado: Schema.optional(Schema.NullOr(Schema.String)),
  codigoUnidadeOrgao: Schema.optional(Schema.NullOr(Schema.String)),
  nomeUnidadeOrgao: Schema.optional(Schema.NullOr(Schema.String)),
  codigoUnidadeOrgaoSubrogado: Schema.optional(Schema.NullOr(Schema.String)),
  nomeUnidadeOrgaoSubrogado: Schema.optional(Schema.NullOr(Schema.String))
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
  itens: Schema.optional(Schema.NullOr(Schema.Array(Schema.Struct({
    descricaoItem: Schema.optional(Schema.NullOr(Schema.String)),
    nomeClassificacaoCatalogo: Schema.optional(Schema.NullOr(Schema.String)),
    quantidadeEstimada: Schema.optional(Schema.NullOr(Schema.Number)),
    pdmCodigo: Schema.optional(Schema.NullOr(Schema.String)),
    dataInclusao: Schema.optional(Schema.NullOr(Schema.String)),
    numeroItem: Schema.optional(Schema.NullOr(Schema.Number)),
    dataAtualizacao: Schema.optional(Schema.NullOr(Schema.String)),
    valorTotal: Schema.optional(Schema.NullOr(Schema.Number)),
    pdmDescricao: Schema.optional(Schema.NullOr(Schema.String)),
    codigoItem: Schema.optional(Schema.NullOr(Schema.String)),
    unidadeRequisitante: Schema.optional(Schema.NullOr(Schema.String)),
    grupoContratacaoCodigo: Schema.optional(Schema.NullOr(Schema.String)),
    grupoContratacaoNome: Schema.optional(Schema.NullOr(Schema.String)),
    classificacaoSuperiorCodigo: Schema.optional(Schema.NullOr(Schema.String)),
    classificacaoSuperiorNome: Schema.optional(Schema.NullOr(Schema.String)),
    unidadeFornecimento: Schema.optional(Schema.NullOr(Schema.String)),
    valorUnitario: Schema.optional(Schema.NullOr(Schema.Number)),
    valorOrcamentoExercicio: Schema.optional(Schema.NullOr(Schema.Number)),
    dataDesejada: Schema.optional(Schema.NullOr(Schema.String)),
    categoriaItemPcaNome: Schema.optional(Schema.NullOr(Schema.String)),
    classificacaoCatalogoId: Schema.optional(Schema.NullOr(Schema.Number))
  })))),
  codigoUnidade: Schema.optional(Schema.NullOr(Schema.String)),
  nomeUnidade: Schema.optional(Schema.NullOr(Schema.String)),
  anoPca: Schema.optional(Schema.NullOr(Schema.Number)),
  orgaoEntidadeRazaoSocial: Schema.optional(Schema.NullOr(Schema.String)),
  orgaoEntidadeCnpj: Schema.optional(Schema.NullOr(Schema.String)),
  idPcaPncp: Schema.String,
  dataPublicacaoPNCP: Schema.optional(Schema.NullOr(Schema.String)),
  dataAtualizacaoGlobalPCA: Schema.optional(Schema.NullOr(Schema.String))
}).annotations({ identifier: "Pca" })

/**
 * @since 0.1.0
 * @category schemas
 */
export interface Pca extends Schema.Schema.Type<typeof Pca> {}

/**
 * An instrumento de cobrança of `/v1/instrumentoscobranca/inclusao`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const InstrumentoCobranca = Schema.Struct({
  cnpj: Schema.optional(Schema.NullOr(Schema.String)),
  ano: Schema.optional(Schema.NullOr(Schema.Number)),
  sequencialContrato: Schema.optional(Schema.NullOr(Schema.Number)),
  sequencialInstrumentoCobranca: Schema.optional(Schema.NullOr(Schema.Number)),
  tipoInstrumentoCobranca: Schema.optional(Schema.NullOr(Schema.Struct({
    id: Schema.optional(Schema.NullOr(Schema.Number)),
    nome: Schema.optional(Schema.NullOr(Schema.String)),
    descricao: Schema.optional(Schema.NullOr(Schema.String)),
    dataInclusao: Schema.optional(Schema.NullOr(Schema.String)),
    dataAtualizacao: Schema.optional(Schema.NullOr(Schema.String)),
    statusAtivo: Schema.optional(Schema.NullOr(Schema.Boolean))
  }))),
  numeroInstrumentoCobranca: Schema.optional(Schema.NullOr(Schema.String)),
  dataEmissaoDocumento: Schema.optional(Schema.NullOr(Schema.String)),
  observacao: Schema.optional(Schema.NullOr(Schema.String)),
  chaveNFe: Schema.optional(Schema.NullOr(Schema.String)),
  fonteNFe: Schema.optional(Schema.NullOr(Schema.Number)),
  dataConsultaNFe: Schema.optional(Schema.NullOr(Schema.String)),
  statusResponseNFe: Schema.optional(Schema.NullOr(Schema.String)),
  jsonResponseNFe: Schema.optional(Schema.NullOr(Schema.String)),
  notaFiscalEletronica: Schema.optional(Schema.NullOr(Schema.Struct({
    instrumentoCobrancaId: Schema.optional(Schema.NullOr(Schema.Number)),
    chave: Schema.optional(Schema.NullOr(Schema.String)),
    nfTransparenciaID: Schema.optional(Schema.NullOr(Schema.Number)),
    numero: Schema.optional(Schema.NullOr(Schema.Number)),
    serie: Schema.optional(Schema.NullOr(Schema.Number)),
    dataEmissao: Schema.optional(Schema.NullOr(Schema.String)),
    niEmitente: Schema.optional(Schema.NullOr(Schema.String)),
    nomeEmitente: Schema.optional(Schema.NullOr(Schema.String)),
    nomeMunicipioEmitente: Schema.optional(Schema.NullOr(Schema.String)),
    codigoOrgaoDestinatario: Schema.optional(Schema.NullOr(Schema.String)),
    nomeOrgaoDestinatario: Schema.optional(Schema.NullOr(Schema.String)),
    codigoOrgaoSuperiorDestinatario: Schema.optional(Schema.NullOr(Schema.String)),
    nomeOrgaoSuperiorDestinatario: Schema.optional(Schema.NullOr(Schema.String)),
    valorNotaFiscal: Schema.optional(Schema.NullOr(Schema.String)),
    tipoEventoMaisRecente: Schema.optional(Schema.NullOr(Schema.String)),
    dataTipoEventoMaisRecente: Schema.optional(Schema.NullOr(Schema.String)),
    dataInclusao: Schema.optional(Schema.NullOr(Schema.String)),
    dataAtualizacao: Schema.optional(Schema.NullOr(Schema.String)),
    itens: Schema.optional(Schema.NullOr(Schema.Array(Schema.Struct({
      numeroItem: Schema.optional(Schema.NullOr(Schema.String)),
      descricaoProdutoServico: Schema.optional(Schema.NullOr(Schema.String)),
      codigoNCM: Schema.optional(Schema.NullOr(Schema.String)),
      descricaoNCM: Schema.optional(Schema.NullOr(Schema.String)),
      cfop: Schema.optional(Schema.NullOr(Schema.String)),
      quantidade: Schema.optional(Schema.NullOr(Schema.String)),
      unidade: Schema.optional(Schema.NullOr(Schema.String)),
      valorUnitario: Schema.optional(Schema.NullOr(Schema.String)),
      valorTotal: Schema.optional(Schema.NullOr(Schema.String))
    })))),
    eventos: Schema.optional(Schema.NullOr(Schema.Array(Schema.Unknown)))
  }))),
  dataInclusao: Schema.optional(Schema.NullOr(Schema.String)),
  dataAtualizacao: Schema.optional(Schema.NullOr(Schema.String)),
  recuperarContratoDTO: Schema.optional(Schema.NullOr(Schema.Struct({
    codigoPaisFornecedor: Schema.optional(Schema.NullOr(Schema.String)),
    numeroControlePncpCompra: Schema.optional(Schema.NullOr(Schema.String)),
    nomeRazaoSocialFornecedor: Schema.optional(Schema.NullOr(Schema.String)),
    anoContrato: Schema.optional(Schema.NullOr(Schema.Number)),
    tipoContrato: Schema.optional(Schema.NullOr(Schema.Struct({
      id: Schema.optional(Schema.NullOr(Schema.Number)),
      nome: Schema.optional(Schema.NullOr(Schema.String))
    }))),
    numeroContratoEmpenho: Schema.optional(Schema.NullOr(Schema.String)),
    dataAssinatura: Schema.optional(Schema.NullOr(Schema.String)),
    dataVigenciaInicio: Schema.optional(Schema.NullOr(Schema.String)),
    dataVigenciaFim: Schema.optional(Schema.NullOr(Schema.String)),
    niFornecedor: Schema.optional(Schema.NullOr(Schema.String)),
    tipoPessoa: Schema.optional(Schema.NullOr(Schema.String)),
    orgaoEntidade: Schema.optional(Schema.NullOr(Schema.Struct({
      cnpj: Schema.optional(Schema.NullOr(Schema.String)),
      razaoSocial: Schema.optional(Schema.NullOr(Schema.String)),
      poderId: Schema.optional(Schema.NullOr(Schema.String)),
      esferaId: Schema.optional(Schema.NullOr(Schema.String))
    }))),
    categoriaProcesso: Schema.optional(Schema.NullOr(Schema.Struct({
      id: Schema.optional(Schema.NullOr(Schema.Number)),
      nome: Schema.optional(Schema.NullOr(Schema.String))
    }))),
    dataPublicacaoPncp: Schema.optional(Schema.NullOr(Schema.String)),
    dataAtualizacao: Schema.optional(Schema.NullOr(Schema.String)),
    sequencialContrato: Schema.optional(Schema.NullOr(Schema.Number)),
    unidadeOrgao: Schema.optional(Schema.NullOr(Schema.Struct({
      ufNome: Schema.optional(Schema.NullOr(Schema.String)),
      codigoIbge: Schema.optional(Schema.NullOr(Schema.String)),
      codigoUnidade: Schema.optional(Schema.NullOr(Schema.String)),
      nomeUnidade: Schema.optional(Schema.NullOr(Schema.String)),
      ufSigla: Schema.optional(Schema.NullOr(Schema.String)),
      municipioNome: Schema.optional(Schema.NullOr(Schema.String))
    }))),
    informacaoComplementar: Schema.optional(Schema.NullOr(Schema.String)),
    processo: Schema.optional(Schema.NullOr(Schema.String)),
    unidadeSubRogada: Schema.optional(Schema.NullOr(Schema.String)),
    orgaoSubRogado: Schema.optional(Schema.NullOr(Schema.String)),
    niFornecedorSubContratado: Schema.optional(Schema.NullOr(Schema.String)),
    nomeFornecedorSubContratado: Schema.optional(Schema.NullOr(Schema.String)),
    numeroControlePNCP: Schema.optional(Schema.NullOr(Schema.String)),
    receita: Schema.optional(Schema.NullOr(Schema.Boolean)),
    numeroParcelas: Schema.optional(Schema.NullOr(Schema.Number)),
    numeroRetificacao: Schema.optional(Schema.NullOr(Schema.Number)),
    tipoPessoaSubContratada: Schema.optional(Schema.NullOr(Schema.String)),
    objetoContrato: Schema.optional(Schema.NullOr(Schema.String)),
    valorInicial: Schema.optional(Schema.NullOr(Schema.Number)),
    valorParcela: Schema.optional(Schema.NullOr(Schema.Number)),
    valorGlobal: Schema.optional(Schema.NullOr(Schema.Number)),
    valorAcumulado: Schema.optional(Schema.NullOr(Schema.String)),
    dataAtualizacaoGlobal: Schema.optional(Schema.NullOr(Schema.String)),
    identificadorCipi: Schema.optional(Schema.NullOr(Schema.String)),
    urlCipi: Schema.optional(Schema.NullOr(Schema.String)),
    usuarioNome: Schema.optional(Schema.NullOr(Schema.String))
  })))
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
  numeroItem: Schema.Number,
  descricao: Schema.optional(Schema.NullOr(Schema.String)),
  materialOuServico: Schema.optional(Schema.NullOr(Schema.String)),
  materialOuServicoNome: Schema.optional(Schema.NullOr(Schema.String)),
  valorUnitarioEstimado: Schema.optional(Schema.NullOr(Schema.Number)),
  valorTotal: Schema.optional(Schema.NullOr(Schema.Number)),
  quantidade: Schema.optional(Schema.NullOr(Schema.Number)),
  unidadeMedida: Schema.optional(Schema.NullOr(Schema.String)),
  orcamentoSigiloso: Schema.optional(Schema.NullOr(Schema.Boolean)),
  itemCategoriaId: Schema.optional(Schema.NullOr(Schema.Number)),
  itemCategoriaNome: Schema.optional(Schema.NullOr(Schema.String)),
  patrimonio: Schema.optional(Schema.NullOr(Schema.String)),
  codigoRegistroImobiliario: Schema.optional(Schema.NullOr(Schema.String)),
  criterioJulgamentoId: Schema.optional(Schema.NullOr(Schema.Number)),
  criterioJulgamentoNome: Schema.optional(Schema.NullOr(Schema.String)),
  situacaoCompraItem: Schema.optional(Schema.NullOr(Schema.Number)),
  situacaoCompraItemNome: Schema.optional(Schema.NullOr(Schema.String)),
  tipoBeneficio: Schema.optional(Schema.NullOr(Schema.Number)),
  tipoBeneficioNome: Schema.optional(Schema.NullOr(Schema.String)),
  incentivoProdutivoBasico: Schema.optional(Schema.NullOr(Schema.Boolean)),
  dataInclusao: Schema.optional(Schema.NullOr(Schema.String)),
  dataAtualizacao: Schema.optional(Schema.NullOr(Schema.String)),
  temResultado: Schema.optional(Schema.NullOr(Schema.Boolean)),
  imagem: Schema.optional(Schema.NullOr(Schema.Number)),
  aplicabilidadeMargemPreferenciaNormal: Schema.optional(Schema.NullOr(Schema.Boolean)),
  aplicabilidadeMargemPreferenciaAdicional: Schema.optional(Schema.NullOr(Schema.Boolean)),
  percentualMargemPreferenciaNormal: Schema.optional(Schema.NullOr(Schema.String)),
  percentualMargemPreferenciaAdicional: Schema.optional(Schema.NullOr(Schema.String)),
  ncmNbsCodigo: Schema.optional(Schema.NullOr(Schema.String)),
  ncmNbsDescricao: Schema.optional(Schema.NullOr(Schema.String)),
  catalogo: Schema.optional(Schema.NullOr(Schema.String)),
  categoriaItemCatalogo: Schema.optional(Schema.NullOr(Schema.String)),
  catalogoCodigoItem: Schema.optional(Schema.NullOr(Schema.String)),
  informacaoComplementar: Schema.optional(Schema.NullOr(Schema.String)),
  tipoMargemPreferencia: Schema.optional(Schema.NullOr(Schema.String)),
  exigenciaConteudoNacional: Schema.optional(Schema.NullOr(Schema.Boolean))
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
  uri: Schema.optional(Schema.NullOr(Schema.String)),
  url: Schema.optional(Schema.NullOr(Schema.String)),
  tipoDocumentoId: Schema.optional(Schema.NullOr(Schema.Number)),
  titulo: Schema.optional(Schema.NullOr(Schema.String)),
  statusAtivo: Schema.optional(Schema.NullOr(Schema.Boolean)),
  dataPublicacaoPncp: Schema.optional(Schema.NullOr(Schema.String)),
  cnpj: Schema.optional(Schema.NullOr(Schema.String)),
  anoCompra: Schema.optional(Schema.NullOr(Schema.Number)),
  sequencialCompra: Schema.optional(Schema.NullOr(Schema.Number)),
  sequencialDocumento: Schema.optional(Schema.NullOr(Schema.Number)),
  tipoDocumentoNome: Schema.optional(Schema.NullOr(Schema.String)),
  tipoDocumentoDescricao: Schema.optional(Schema.NullOr(Schema.String))
}).annotations({ identifier: "Arquivo" })

/**
 * @since 0.1.0
 * @category schemas
 */
export interface Arquivo extends Schema.Schema.Type<typeof Arquivo> {}

/**
 * The envelope of a consulta page of `record`s.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Page = <A, I, R>(record: Schema.Schema<A, I, R>) =>
  Schema.Struct({
    data: Schema.Array(record),
    totalRegistros: Schema.Number,
    totalPaginas: Schema.Number,
    numeroPagina: Schema.Number,
    paginasRestantes: Schema.Number,
    empty: Schema.Boolean
  })
