/**
 * A list that must name every member of a union, in an order of its own: `everyMemberOf<U>()(list)`
 * returns `list` and fails to compile when a member of `U` is missing from it (the error's last
 * argument names the missing member). Use the domain's `as const` list itself where its order will do.
 */
export function everyMemberOf<U extends string>() {
  return <const L extends readonly U[]>(
    list: L,
    ...missing: [Exclude<U, L[number]>] extends [never] ? [] : [missing: Exclude<U, L[number]>]
  ): L => {
    void missing;
    return list;
  };
}
