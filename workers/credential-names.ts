/**
 * Names of headers and query parameters whose values are credentials: the call log keeps them
 * out, and the request builder warns before they are saved where everyone can read them.
 */

/** Header names whose values are credentials, whatever the scheme. */
const CREDENTIAL_HEADERS = new Set(["authorization", "proxy-authorization", "cookie"]);
/** Custom names carry credentials under many words (`x-api-key`, `x-auth-token`, `api_key`…). */
const CREDENTIAL_WORDS = /token|secret|key|auth|password|session/;

/** Whether a header's value is a credential. */
export function isCredentialHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return CREDENTIAL_HEADERS.has(lower) || CREDENTIAL_WORDS.test(lower);
}

/** Whether a query parameter's value is a credential (`name` as a server reads it, decoded). */
export function isCredentialParam(name: string): boolean {
  return CREDENTIAL_WORDS.test(name.toLowerCase());
}
