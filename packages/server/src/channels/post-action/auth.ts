/** A post-action's credentials as sealed in its row: opened at send time to sign the request. */
export type AuthSecret = { token: string } | { username: string; password: string } | { name: string; value: string };
