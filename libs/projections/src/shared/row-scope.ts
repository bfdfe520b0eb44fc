/**
 * The rows a reader may see when they may not see every row (the engine's access policy decides):
 * those of one department and/or those assigned to one person now. A row matching either is
 * visible; a scope with neither shows nothing.
 */
export interface RowScope {
  department?: string;
  executorId?: string;
}

/** A SQL condition for `scope` over the given columns; `param` adds a bound value and names it. */
export function rowScopeSql(
  scope: RowScope,
  columns: { department: string; executorId: string },
  param: (value: unknown) => string,
): string {
  const any: string[] = [];
  if (scope.department !== undefined) any.push(`${columns.department} = ${param(scope.department)}`);
  if (scope.executorId !== undefined) any.push(`${columns.executorId} = ${param(scope.executorId)}`);
  return any.length === 0 ? 'FALSE' : `(${any.join(' OR ')})`;
}
