/** A route pattern made requestable: every `:param` (and a `*` wildcard) becomes `x1`. */
export const concreteUrl = (pattern: string): string => pattern.replace(/:\w+/g, 'x1').replace('*', 'x1');
