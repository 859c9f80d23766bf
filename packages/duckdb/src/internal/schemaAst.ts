/** @internal The Schema AST notions both the table mapping and the reading of values need. */
import * as AST from "effect/SchemaAST"

const isTemporalDeclaration = (ast: AST.AST): boolean => {
  if (!AST.isDeclaration(ast)) return false
  const ctor = AST.getTypeConstructorAnnotation(ast)
  if (ctor._tag === "Some") {
    const tag = ctor.value._tag
    return tag === "Date" || tag === "effect/DateTime.Utc"
  }
  return false
}

/** @internal */
export const stripRefinements = (ast: AST.AST): AST.AST => AST.isRefinement(ast) ? stripRefinements(ast.from) : ast

/** @internal Does the (type side of the) AST denote a point in time (Date, DateTime.Utc)? */
export const isTemporal = (ast: AST.AST): boolean => {
  const base = stripRefinements(ast)
  if (isTemporalDeclaration(base)) return true
  if (AST.isTransformation(base)) return isTemporal(base.to)
  return false
}
