/**
 * The PNCP domain tables (manual of the consulta APIs, §5): the codes records carry (`modalidadeId`,
 * `modoDisputaId`, `situacaoCompraId`, `amparoLegal.codigo`, `tipoContrato.id`, …) with their names, as data.
 *
 * **Details**
 *
 * Transcribed from `MANUAL-PNCP-CONSULTAS-v1.md` §5.1–5.16 (§5.17, the user identifier, is a lookup on the portal,
 * not a table). The manual's amparo legal list (§5.15) stops at code 28, the articles of Lei 14.133/2021 it had when
 * written; the live API returns more codes, so an unknown amparo legal is expected, not an error: staged as it comes,
 * it has no name in a join with `staging.ref_amparo_legal`, and the staging tables' `codes_known` check warns of it
 * (of any code not in these tables, for the columns each staging spec maps in `codes`). §5.12 says code 16 is "other
 * documents of the process" in a footnote; it is listed here as such.
 *
 * @since 0.1.0
 */
import * as Endpoints from "./Endpoints.js"

/**
 * One code of a domain table: `codigo`, `nome` and, where the manual explains it, `descricao`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Code {
  readonly codigo: number | string
  readonly nome: string
  readonly descricao?: string | undefined
}

/**
 * A domain table: its `name` (the staging table is `staging.ref_<name>`), `title`, manual `section`, the SQL type
 * of its codes and the codes.
 *
 * @since 0.1.0
 * @category models
 */
export interface CodeTable {
  readonly name: string
  readonly title: string
  readonly section: string
  readonly codeType: "INTEGER" | "VARCHAR"
  readonly codes: ReadonlyArray<Code>
}

type Row = readonly [codigo: number | string, nome: string, descricao?: string]

const table = (
  name: string,
  title: string,
  section: string,
  rows: ReadonlyArray<Row>,
  codeType: CodeTable["codeType"] = "INTEGER"
): CodeTable => ({
  name,
  title,
  section,
  codeType,
  codes: rows.map(([codigo, nome, descricao]) => ({ codigo, nome, ...(descricao === undefined ? {} : { descricao }) }))
})

/**
 * @since 0.1.0
 * @category tables
 */
export const instrumentoConvocatorio = table("instrumento_convocatorio", "Instrumento convocatório", "5.1", [
  [
    1,
    "Edital",
    "Diálogo competitivo, concurso, concorrência, pregão, manifestação de interesse, pré-qualificação e credenciamento"
  ],
  [2, "Aviso de Contratação Direta", "Dispensa com disputa"],
  [3, "Ato que autoriza a Contratação Direta", "Dispensa sem disputa ou inexigibilidade"]
])

/**
 * @since 0.1.0
 * @category tables
 */
export const modalidade = table(
  "modalidade",
  "Modalidade de contratação",
  "5.2",
  Endpoints.modalidades.map((m) => [m.codigo, m.nome])
)

/**
 * @since 0.1.0
 * @category tables
 */
export const modoDisputa = table("modo_disputa", "Modo de disputa", "5.3", [
  [1, "Aberto"],
  [2, "Fechado"],
  [3, "Aberto-Fechado"],
  [4, "Dispensa Com Disputa"],
  [5, "Não se aplica"],
  [6, "Fechado-Aberto"]
])

/**
 * @since 0.1.0
 * @category tables
 */
export const criterioJulgamento = table("criterio_julgamento", "Critério de julgamento", "5.4", [
  [1, "Menor preço"],
  [2, "Maior desconto"],
  [4, "Técnica e preço"],
  [5, "Maior lance"],
  [6, "Maior retorno econômico"],
  [7, "Não se aplica"],
  [8, "Melhor técnica"],
  [9, "Conteúdo artístico"]
])

/**
 * @since 0.1.0
 * @category tables
 */
export const situacaoContratacao = table("situacao_contratacao", "Situação da contratação", "5.5", [
  [1, "Divulgada no PNCP", "Situação atribuída na inclusão da contratação"],
  [2, "Revogada", "Contratação revogada conforme justificativa"],
  [3, "Anulada", "Contratação anulada conforme justificativa"],
  [4, "Suspensa", "Contratação suspensa conforme justificativa"]
])

/**
 * @since 0.1.0
 * @category tables
 */
export const situacaoItem = table("situacao_item", "Situação do item da contratação", "5.6", [
  [1, "Em Andamento", "Disputa ou seleção do fornecedor não finalizada"],
  [2, "Homologado", "Item com resultado (fornecedor informado)"],
  [3, "Anulado/Revogado/Cancelado", "Item cancelado conforme justificativa"],
  [4, "Deserto", "Item sem resultado (sem interessados)"],
  [5, "Fracassado", "Item sem resultado (fornecedores desclassificados ou inabilitados)"]
])

/**
 * @since 0.1.0
 * @category tables
 */
export const tipoBeneficio = table("tipo_beneficio", "Tipo de benefício", "5.7", [
  [1, "Participação exclusiva para ME/EPP"],
  [2, "Subcontratação para ME/EPP"],
  [3, "Cota reservada para ME/EPP"],
  [4, "Sem benefício"],
  [5, "Não se aplica"]
])

/**
 * @since 0.1.0
 * @category tables
 */
export const situacaoResultadoItem = table("situacao_resultado_item", "Situação do resultado do item", "5.8", [
  [1, "Informado", "Valor, fornecedor e marca do resultado informados"],
  [2, "Cancelado", "Resultado do item cancelado conforme justificativa"]
])

/**
 * @since 0.1.0
 * @category tables
 */
export const tipoContrato = table("tipo_contrato", "Tipo de contrato", "5.9", [
  [1, "Contrato (termo inicial)", "Acordo formal recíproco de vontades firmado entre as partes"],
  [2, "Comodato", "Concessão de uso gratuito de bem móvel ou imóvel"],
  [3, "Arrendamento", "Cessão de um bem por um período mediante pagamento"],
  [4, "Concessão", "Execução de serviço público por empresa privada remunerada por tarifa"],
  [5, "Termo de Adesão", "Uma das partes estipula todas as cláusulas"],
  [6, "Convênio", "Acordo entre as partes por um objetivo em comum"],
  [7, "Empenho", "Promessa de pagamento do Estado para um fim específico"],
  [8, "Outros", "Outros tipos de contratos"],
  [9, "Termo de Execução Descentralizada (TED)", "Descentralização de crédito entre órgãos da União"],
  [10, "Acordo de Cooperação Técnica (ACT)", "Execução de programas de trabalho ou projetos entre órgãos"],
  [11, "Termo de Compromisso", "Compromisso estabelecido entre as partes"],
  [12, "Carta Contrato", "Formaliza acordo quando a lei dispensa a celebração de um contrato"]
])

/**
 * @since 0.1.0
 * @category tables
 */
export const tipoTermoContrato = table("tipo_termo_contrato", "Tipo de termo de contrato", "5.10", [
  [1, "Termo de Rescisão", "Encerramento antes da data final do contrato"],
  [2, "Termo Aditivo", "Prorroga, reajusta, acresce, suprime ou altera cláusulas"],
  [3, "Termo de Apostilamento", "Atualiza o valor do contrato"]
])

/**
 * @since 0.1.0
 * @category tables
 */
export const categoriaProcesso = table("categoria_processo", "Categoria do processo", "5.11", [
  [1, "Cessão"],
  [2, "Compras"],
  [3, "Informática (TIC)"],
  [4, "Internacional"],
  [5, "Locação Imóveis"],
  [6, "Mão de Obra"],
  [7, "Obras"],
  [8, "Serviços"],
  [9, "Serviços de Engenharia"],
  [10, "Serviços de Saúde"],
  [11, "Alienação de bens móveis/imóveis"]
])

/**
 * @since 0.1.0
 * @category tables
 */
export const tipoDocumento = table("tipo_documento", "Tipo de documento", "5.12", [
  [1, "Aviso de Contratação Direta", "Contratação"],
  [2, "Edital", "Contratação"],
  [3, "Minuta do Contrato", "Contratação (anexo)"],
  [4, "Termo de Referência", "Contratação (anexo)"],
  [5, "Anteprojeto", "Contratação (anexo)"],
  [6, "Projeto Básico", "Contratação (anexo)"],
  [7, "Estudo Técnico Preliminar", "Contratação (anexo)"],
  [8, "Projeto Executivo", "Contratação (anexo)"],
  [9, "Mapa de Riscos", "Contratação (anexo)"],
  [10, "DFD", "Contratação (anexo)"],
  [11, "Ata de Registro de Preço", "Ata de registro de preço"],
  [12, "Contrato", "Contrato"],
  [13, "Termo de Rescisão", "Contrato"],
  [14, "Termo Aditivo", "Contrato"],
  [15, "Termo de Apostilamento", "Contrato"],
  [16, "Outros documentos do processo", "Qualquer"],
  [17, "Nota de Empenho", "Contrato"],
  [18, "Relatório Final de Contrato", "Contrato"]
])

/**
 * @since 0.1.0
 * @category tables
 */
export const naturezaJuridica = table("natureza_juridica", "Natureza jurídica", "5.13", [
  ["0000", "Natureza Jurídica não informada"],
  ["1015", "Órgão Público do Poder Executivo Federal"],
  ["1023", "Órgão Público do Poder Executivo Estadual ou do Distrito Federal"],
  ["1031", "Órgão Público do Poder Executivo Municipal"],
  ["1040", "Órgão Público do Poder Legislativo Federal"],
  ["1058", "Órgão Público do Poder Legislativo Estadual ou do Distrito Federal"],
  ["1066", "Órgão Público do Poder Legislativo Municipal"],
  ["1074", "Órgão Público do Poder Judiciário Federal"],
  ["1082", "Órgão Público do Poder Judiciário Estadual"],
  ["1104", "Autarquia Federal"],
  ["1112", "Autarquia Estadual ou do Distrito Federal"],
  ["1120", "Autarquia Municipal"],
  ["1139", "Fundação Pública de Direito Público Federal"],
  ["1147", "Fundação Pública de Direito Público Estadual ou do Distrito Federal"],
  ["1155", "Fundação Pública de Direito Público Municipal"],
  ["1163", "Órgão Público Autônomo Federal"],
  ["1171", "Órgão Público Autônomo Estadual ou do Distrito Federal"],
  ["1180", "Órgão Público Autônomo Municipal"],
  ["1198", "Comissão Polinacional"],
  ["1210", "Consórcio Público de Direito Público (Associação Pública)"],
  ["1228", "Consórcio Público de Direito Privado"],
  ["1236", "Estado ou Distrito Federal"],
  ["1244", "Município"],
  ["1252", "Fundação Pública de Direito Privado Federal"],
  ["1260", "Fundação Pública de Direito Privado Estadual ou do Distrito Federal"],
  ["1279", "Fundação Pública de Direito Privado Municipal"],
  ["1287", "Fundo Público da Administração Indireta Federal"],
  ["1295", "Fundo Público da Administração Indireta Estadual ou do Distrito Federal"],
  ["1309", "Fundo Público da Administração Indireta Municipal"],
  ["1317", "Fundo Público da Administração Direta Federal"],
  ["1325", "Fundo Público da Administração Direta Estadual ou do Distrito Federal"],
  ["1333", "Fundo Público da Administração Direta Municipal"],
  ["1341", "União"],
  ["2011", "Empresa Pública"],
  ["2038", "Sociedade de Economia Mista"],
  ["2046", "Sociedade Anônima Aberta"],
  ["2054", "Sociedade Anônima Fechada"]
], "VARCHAR")

/**
 * @since 0.1.0
 * @category tables
 */
export const porteEmpresa = table("porte_empresa", "Porte da empresa", "5.14", [
  [1, "ME", "Microempresa"],
  [2, "EPP", "Empresa de pequeno porte"],
  [3, "Demais", "Demais empresas"],
  [4, "Não se aplica", "Fornecedor pessoa física"],
  [5, "Não informado", "Sem porte da empresa"]
])

// §5.15 lists Lei 14.133/2021 Art. 28 I–V, Art. 74 I–II, III a–h, IV–V, Art. 75 I–III b, IV a–g, in that order.
const incisos: ReadonlyArray<string> = [
  ...["I", "II", "III", "IV", "V"].map((i) => `Art. 28, ${i}`),
  "Art. 74, I",
  "Art. 74, II",
  ..."abcdefgh".split("").map((letter) => `Art. 74, III, ${letter}`),
  "Art. 74, IV",
  "Art. 74, V",
  "Art. 75, I",
  "Art. 75, II",
  "Art. 75, III, a",
  "Art. 75, III, b",
  ..."abcdefg".split("").map((letter) => `Art. 75, IV, ${letter}`)
]

/**
 * @since 0.1.0
 * @category tables
 */
export const amparoLegal = table(
  "amparo_legal",
  "Amparo legal (as far as the manual lists it)",
  "5.15",
  incisos.map((inciso, i) => [i + 1, `Lei 14.133/2021, ${inciso}`])
)

/**
 * @since 0.1.0
 * @category tables
 */
export const categoriaItemPca = table("categoria_item_pca", "Categoria do item do plano de contratações", "5.16", [
  [1, "Material"],
  [2, "Serviço"],
  [3, "Obras"],
  [4, "Serviços de Engenharia"],
  [5, "Soluções de TIC"],
  [6, "Locação de Imóveis"],
  [7, "Alienação/Concessão/Permissão"],
  [8, "Obras e Serviços de Engenharia"]
])

/**
 * Every domain table, in the manual's order.
 *
 * @since 0.1.0
 * @category tables
 */
export const all: ReadonlyArray<CodeTable> = [
  instrumentoConvocatorio,
  modalidade,
  modoDisputa,
  criterioJulgamento,
  situacaoContratacao,
  situacaoItem,
  tipoBeneficio,
  situacaoResultadoItem,
  tipoContrato,
  tipoTermoContrato,
  categoriaProcesso,
  tipoDocumento,
  naturezaJuridica,
  porteEmpresa,
  amparoLegal,
  categoriaItemPca
]
