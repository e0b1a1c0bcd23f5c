import { Agent, IncomingHttpHeaders, request as httpRequest } from 'node:http';

export interface UsersRequest {
  method: 'GET' | 'POST';
  /** The path on the users service. */
  url: string;
  auth?: { username: string; password: string };
  headers?: Record<string, string>;
}

export interface UsersResponse {
  status: number;
  /** The body, parsed as JSON (undefined when empty). */
  data: unknown;
  headers: IncomingHttpHeaders;
}

/**
 * One exchange with the users service, with node:http over the client's keep-alive agent:
 * the calls are a few small JSON GETs and POSTs, and axios (with its form-data and MIME
 * tables) cost every replica 2 MB of heap for them. Any status is an answer; no answer within
 * `timeoutMs` is an error with code ETIMEDOUT.
 */
export function sendToUsers(base: string, agent: Agent, timeoutMs: number, request: UsersRequest): Promise<UsersResponse> {
  const headers: Record<string, string> = { Accept: 'application/json', ...request.headers };
  if (request.auth) headers.Authorization = `Basic ${Buffer.from(`${request.auth.username}:${request.auth.password}`).toString('base64')}`;
  if (request.method === 'POST') headers['Content-Length'] = '0';
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(new URL(request.url, base), { method: request.method, agent, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        clearTimeout(timer);
        const text = Buffer.concat(chunks).toString('utf8');
        try {
          resolve({ status: response.statusCode ?? 0, data: text ? JSON.parse(text) : undefined, headers: response.headers });
        } catch {
          reject(new Error(`users answered ${response.statusCode} with a body that is not JSON`));
        }
      });
    });
    const timer = setTimeout(() => outgoing.destroy(Object.assign(new Error(`users did not answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })), timeoutMs);
    outgoing.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    outgoing.end();
  });
}
