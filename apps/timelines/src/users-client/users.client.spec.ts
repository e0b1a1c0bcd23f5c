import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import { ProblemException } from '@app/common';
import { loadTimelinesConfig } from '../timelines-config';
import { UsersClient } from './users.client';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/** A stand-in for the users service on a local port, whose behaviour each test sets. */
async function standIn(): Promise<{ url: string; calls: string[]; handle: (handler: Handler) => void; close: () => Promise<void> }> {
  const calls: string[] = [];
  let handler: Handler = (_request, response) => response.writeHead(500).end();
  const server: Server = createServer((request, response) => {
    calls.push(`${request.method} ${request.url}`);
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    handle: (next) => (handler = next),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const json = (response: ServerResponse, status: number, body: unknown) =>
  response.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));

const statusOf = async (work: Promise<unknown>): Promise<number> => {
  try {
    await work;
    return 200;
  } catch (error) {
    return (error as ProblemException).getStatus();
  }
};

describe('UsersClient', () => {
  beforeAll(() => Logger.overrideLogger(false));
  const caller = { clientAddress: '198.51.100.4', requestId: 'req-1' };
  let users: Awaited<ReturnType<typeof standIn>>;
  let client: UsersClient;

  const make = (url: string, env: Record<string, string> = {}) =>
    new UsersClient(loadTimelinesConfig({ USERS_URL: url, USERS_TIMEOUT_MS: '300', USERS_CACHE_TTL_MS: '2000', USERS_CIRCUIT_RESET_MS: '60000', ...env }));

  beforeEach(async () => {
    users = await standIn();
    client = make(users.url);
  });
  afterEach(async () => {
    client.onApplicationShutdown();
    await users.close();
  });

  it('verifies Basic credentials once, shares the answer, and forwards the client and request id', async () => {
    const seen: Array<Record<string, unknown>> = [];
    users.handle((request, response) => {
      seen.push({ auth: request.headers.authorization, forwarded: request.headers['x-forwarded-for'], id: request.headers['x-request-id'] });
      json(response, 200, { id: 2, username: 'steve', role: 'admin' });
    });
    const answers = await Promise.all([1, 2, 3].map(() => client.verifyBasic('steve', 'pass:word', caller)));
    expect(answers).toEqual([1, 2, 3].map(() => ({ id: 2, username: 'steve', role: 'admin' })));
    await client.verifyBasic('steve', 'pass:word', caller);
    expect(users.calls).toEqual(['POST /auth/verify']);
    expect(seen[0]).toEqual({
      auth: `Basic ${Buffer.from('steve:pass:word').toString('base64')}`,
      forwarded: '198.51.100.4',
      id: 'req-1',
    });
  });

  it('never remembers a failure: a wrong password is asked again, and a 429 keeps its Retry-After', async () => {
    users.handle((_request, response) => json(response, 401, {}));
    expect(await statusOf(client.verifyBasic('steve', 'wrong', caller))).toBe(401);
    expect(await statusOf(client.verifyBasic('steve', 'wrong', caller))).toBe(401);
    expect(users.calls).toHaveLength(2);
    users.handle((_request, response) => response.writeHead(429, { 'Retry-After': '17' }).end());
    const throttled = await client.verifyBasic('steve', 'guess', caller).catch((error: ProblemException) => error);
    expect((throttled as ProblemException).getStatus()).toBe(429);
    expect((throttled as ProblemException).headers['Retry-After']).toBe('17');
  });

  it('reads whom a user follows (cached, any case) and 404 for an unknown user', async () => {
    users.handle((request, response) =>
      request.url === '/internal/users/ann/following' ? json(response, 200, { usernames: ['bob'] }) : json(response, 404, {}),
    );
    expect(await client.following('ann', caller)).toEqual(['bob']);
    expect(await client.following('ANN', caller)).toEqual(['bob']);
    expect(users.calls).toHaveLength(1);
    expect(await statusOf(client.following('nobody', caller))).toBe(404);
  });

  it('asks for the current role (cached briefly), and 503 when users cannot say', async () => {
    users.handle((request, response) =>
      json(response, 200, { username: 'x', role: request.url?.toLowerCase() === '/internal/users/boss/role' ? 'admin' : 'user' }),
    );
    expect(await client.isAdmin({ id: 1, username: 'Boss', role: 'user' })).toBe(true);
    expect(await client.isAdmin({ id: 2, username: 'ann', role: 'admin' })).toBe(false);
    expect(await client.isAdmin({ id: 1, username: 'boss' })).toBe(true);
    expect(users.calls).toEqual(['GET /internal/users/Boss/role', 'GET /internal/users/ann/role']);
    await users.close();
    expect(await statusOf(client.isAdmin({ id: 3, username: 'cy' }))).toBe(503);
    users = await standIn();
  });

  it('answers 503 within its timeout when users does not answer, without opening the circuit for slowness', async () => {
    users.handle(() => undefined); // accepts, never answers
    expect(await statusOf(client.userExists('ann', caller))).toBe(503);
    expect(client.reachable).toBe(true);
  });

  it('opens the circuit when users refuses connections, then fails at once without calling', async () => {
    await users.close();
    for (let i = 0; i < 3; i++) expect(await statusOf(client.userExists('ann', caller))).toBe(503);
    expect(client.reachable).toBe(false);
    users = await standIn();
    expect(await statusOf(client.userExists('ann', caller))).toBe(503);
    expect(users.calls).toEqual([]);
  });
});
