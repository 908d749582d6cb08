/**
 * Which environments a background sweep covers: only these, or all but these (per-org
 * retention prunes the orgs with their own windows, then the rest). Never empty: a caller
 * with no list passes no selection.
 */
export type EnvSelection = { readonly only: readonly string[] } | { readonly except: readonly string[] };

export const envsOf = (selection: EnvSelection): readonly string[] => ('only' in selection ? selection.only : selection.except);
