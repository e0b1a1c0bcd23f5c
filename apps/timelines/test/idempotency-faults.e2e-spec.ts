import { basic, client, Client, collectPages, eventually, startTestTopology } from '@app/testing';
import { Topology } from '@app/topology';

/**
 * An Idempotency-Key's answer is committed with its effect: a replica killed (SIGKILL, by the
 * test-only fault point the request names) on either side of that commit leaves either no
 * post or a post and its answer, and the client's retry makes exactly one post. Real
 * processes behind HAProxy; on both stores.
 */
describe('Idempotency-Key across a replica killed mid-request', () => {
  let topology: Topology;
  let stop: () => Promise<void>;
  let api: Client;
  const steve = basic('steve', 'password3');

  const keyedPost = (key: string, message: string) => api.post('/posts').set('Authorization', steve).set('Idempotency-Key', key).send({ message });
  const postsSaying = async (message: string) =>
    (await collectPages<{ id: number; message: string }>(api, '/timelines/users/steve?limit=100', 'posts')).filter((post) => post.message === message);
  /** The killed replica started again, and back in HAProxy's rotation. */
  const relaunch = async () => {
    await eventually(() => topology.process('timelines-1') === undefined);
    topology.launch('timelines-1');
    await topology.waitReady('timelines-1');
    await topology.waitForEdge();
  };

  beforeAll(async () => {
    ({ topology, stop } = await startTestTopology({ replicas: 1, env: { FAULT_INJECTION: 'true' } }));
    api = client(topology.baseUrl);
  }, 90_000);
  afterAll(() => stop?.());

  it('killed once the post is written and before its answer is committed: the retry posts it once', async () => {
    const message = 'killed before the commit';
    const killed = await keyedPost('fault-before', message).set('X-Fault-Point', 'idempotent-before-commit');
    expect(killed.status).toBeGreaterThanOrEqual(500);
    await relaunch();
    expect(await postsSaying(message)).toHaveLength(0);
    // The key stays taken until its 30 s lease ends (409 meanwhile); then the retry is applied.
    const retried = await eventually(async () => {
      const response = await keyedPost('fault-before', message);
      expect([201, 409]).toContain(response.status);
      return response.status === 201 && response;
    }, 45_000);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
    const again = await keyedPost('fault-before', message).expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.id).toBe(retried.body.id);
    expect((await postsSaying(message)).map((post) => post.id)).toEqual([retried.body.id]);
  }, 120_000);

  it('killed after the commit, before the answer is sent: the retry replays it at once', async () => {
    const message = 'killed after the commit';
    const killed = await keyedPost('fault-after', message).set('X-Fault-Point', 'idempotent-after-commit');
    expect(killed.status).toBeGreaterThanOrEqual(500);
    await relaunch();
    const replayed = await keyedPost('fault-after', message).expect(201);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(replayed.headers.location).toBe(`/posts/${replayed.body.id}`);
    expect((await postsSaying(message)).map((post) => post.id)).toEqual([replayed.body.id]);
  }, 120_000);
});
