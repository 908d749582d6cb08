import { UserError } from '../errors/index.js';
import { checkDestinationUrl } from '../net/index.js';

/** A URL option's problem in `option "field": …` form, or undefined when it is usable. */
export function urlProblem(raw: string, field: string, example: string, credentialsHint: string): string | undefined {
  try {
    checkDestinationUrl(raw, { field: `option "${field}"`, example, credentialsHint });
    return undefined;
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    return err.message + '.';
  }
}
