/** Sent in the default User-Agent; kept in step with package.json by the test suite. */
export const SDK_VERSION = '0.1.0';
