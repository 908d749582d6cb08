/**
 * The parsed form of a template. Every node keeps its source offset so render errors can
 * point at it; expressions also record their nesting depth, checked against the limit as
 * they are built.
 */
import type { FilterDefinition } from './filters.js';

export type Statement =
  | { type: 'text'; value: string; offset: number }
  | { type: 'output'; expr: Expr; offset: number }
  | { type: 'if'; branches: { test: Expr; body: Statement[] }[]; otherwise: Statement[] | null; offset: number }
  | { type: 'for'; target: string; iterable: Expr; body: Statement[]; otherwise: Statement[] | null; offset: number };

export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '~' | '==' | '!=' | '<' | '>' | '<=' | '>=' | 'in' | 'not in';
export type TestName = 'defined' | 'undefined' | 'none' | 'number' | 'string';

export interface FilterCall {
  name: string;
  definition: FilterDefinition;
  /** Positional arguments, keyword arguments already moved to their parameter's position. */
  args: (Expr | undefined)[];
  offset: number;
}

interface Base {
  offset: number;
  depth: number;
}

export type Expr = Base &
  (
    | { type: 'literal'; value: string | number | boolean | null }
    | { type: 'list'; items: Expr[] }
    | { type: 'name'; name: string }
    | { type: 'member'; object: Expr; key: Expr }
    | { type: 'not'; operand: Expr }
    | { type: 'negate'; operand: Expr; sign: '-' | '+' }
    | { type: 'binary'; op: BinaryOp; left: Expr; right: Expr }
    | { type: 'logical'; op: 'and' | 'or'; left: Expr; right: Expr }
    | { type: 'conditional'; test: Expr; then: Expr; otherwise: Expr | null }
    | { type: 'filter'; input: Expr; filter: FilterCall }
    | { type: 'test'; operand: Expr; test: TestName; negated: boolean }
  );

export const TESTS: readonly TestName[] = ['defined', 'undefined', 'none', 'number', 'string'];
