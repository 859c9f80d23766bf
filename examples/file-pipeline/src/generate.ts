/**
 * Sample inputs: a product catalogue and a CSV of sales per day, the same bytes for the same day on every run.
 */
import * as NodeFs from "node:fs"
import * as NodePath from "node:path"

export const produtos = [
  { codigo: "P01", nome: "Arroz 5 kg", categoria: "alimentos", preco: 27.9 },
  { codigo: "P02", nome: "Feijão 1 kg", categoria: "alimentos", preco: 8.5 },
  { codigo: "P03", nome: "Café 500 g", categoria: "alimentos", preco: 18.75 },
  { codigo: "P04", nome: "Sabão em pó", categoria: "limpeza", preco: 15.4 },
  { codigo: "P05", nome: "Detergente", categoria: "limpeza", preco: 2.99 },
  { codigo: "P06", nome: "Papel A4", categoria: "escritório", preco: 32 },
  { codigo: "P07", nome: "Caneta azul", categoria: "escritório", preco: 1.5 },
  { codigo: "P08", nome: "Toner", categoria: "escritório", preco: 289.9 }
] as const

/** mulberry32, seeded by the day: the same day always gets the same sales. */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

/** The CSV of one day's sales: `pedido,data,produto,quantidade,preco_unitario`. */
export const salesCsv = (day: string): string => {
  const next = random(Number(day.replaceAll("-", "")))
  const count = 20 + Math.floor(next() * 40)
  const lines = ["pedido,data,produto,quantidade,preco_unitario"]
  for (let i = 1; i <= count; i++) {
    const produto = produtos[Math.floor(next() * produtos.length)]!
    const quantidade = 1 + Math.floor(next() * 10)
    const preco = Math.round(produto.preco * (0.9 + next() * 0.2) * 100) / 100
    lines.push(
      `${day.replaceAll("-", "")}-${String(i).padStart(3, "0")},${day},${produto.codigo},${quantidade},${
        preco.toFixed(2)
      }`
    )
  }
  return `${lines.join("\n")}\n`
}

/** The days from `from` to `to` (inclusive), `YYYY-MM-DD`. */
export const daysBetween = (from: string, to: string): ReadonlyArray<string> => {
  const days: Array<string> = []
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    days.push(new Date(t).toISOString().slice(0, 10))
  }
  return days
}

/** Writes the catalogue and a CSV per day into `dir`. */
export const writeInputs = (dir: string, days: ReadonlyArray<string>): void => {
  NodeFs.mkdirSync(NodePath.join(dir, "vendas"), { recursive: true })
  NodeFs.writeFileSync(
    NodePath.join(dir, "produtos.json"),
    JSON.stringify(produtos.map(({ categoria, codigo, nome }) => ({ codigo, nome, categoria })), null, 2)
  )
  for (const day of days) NodeFs.writeFileSync(NodePath.join(dir, "vendas", `${day}.csv`), salesCsv(day))
}
