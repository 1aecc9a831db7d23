import { EDGE_MODULE_NAMES } from "../../../workers/typescript/workerd-modules.ts";

/**
 * What fnpad gives a TypeScript handler beyond the DOM's types, for the editor's checker: the
 * README's `req.cf?.country`, a `fetch` handler's `ctx: ExecutionContext`, and the edge's
 * modules (typed loosely: `any`), so that code fnpad runs is not flagged as a problem.
 */
export const HANDLER_TYPES = `
/** What Cloudflare knows about the caller (in the browser and locally, a placeholder). */
interface IncomingRequestCfProperties {
  readonly [field: string]: unknown;
  readonly country?: string;
  readonly continent?: string;
  readonly colo?: string;
  readonly city?: string;
  readonly region?: string;
  readonly regionCode?: string;
  readonly postalCode?: string;
  readonly metroCode?: string;
  readonly latitude?: string;
  readonly longitude?: string;
  readonly timezone?: string;
  readonly asn?: number;
  readonly asOrganization?: string;
  readonly httpProtocol?: string;
  readonly tlsVersion?: string;
  readonly tlsCipher?: string;
  readonly clientTcpRtt?: number;
  readonly isEUCountry?: string;
}
interface Request {
  readonly cf?: IncomingRequestCfProperties;
}
interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
  passThroughOnException(): void;
}
${EDGE_MODULE_NAMES.map((name) => `declare module "${name}";`).join("\n")}
`;
