import { Module } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BaseConfig, loadConfig } from '@app/config';
import { eventually, tempDir, TEST_SECRET } from '@app/testing';
import { configureApp, createFastifyAdapter } from './configure-app';
import { createLogger } from './logging';

@Module({})
class NothingModule {}

/** Log lines are written in batches; none is lost when the app closes. */
describe('the JSON log', () => {
  const dir = tempDir('logging');
  const config = loadConfig(BaseConfig, {}, { PORT: 0, SERVICE_NAME: 'logging-spec', DATABASE_PATH: ':memory:', JWT_SECRET: TEST_SECRET, LOG_FORMAT: 'json' });
  let n = 0;
  let file: string;
  let app: NestFastifyApplication;
  let closed: Promise<void> | undefined;
  const close = () => (closed ??= app.close());
  const written = () => readFileSync(file, 'utf8');
  const logger = () => app.getHttpAdapter().getInstance().log;

  beforeEach(async () => {
    file = join(dir.path, `log-${++n}.jsonl`);
    const moduleRef = await Test.createTestingModule({ imports: [NothingModule] }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(createFastifyAdapter(config, createLogger(config, file)));
    configureApp(app, config);
    closed = undefined;
    await app.init();
    await eventually(() => written() !== undefined); // the file is opened asynchronously
  });
  afterEach(() => close());
  afterAll(() => dir.remove());

  it('holds a short line back, then writes it within the periodic flush', async () => {
    logger().info('a line while idle');
    expect(written()).not.toContain('a line while idle');
    await eventually(() => written().includes('a line while idle'), 2000);
  });

  it('writes the lines it holds when the app closes', async () => {
    logger().info('the last words');
    expect(written()).not.toContain('the last words');
    await close();
    const line = written()
      .split('\n')
      .find((entry) => entry.includes('the last words'));
    expect(JSON.parse(line!)).toMatchObject({ level: 30, name: 'logging-spec', msg: 'the last words' });
  });

  it('logs a request’s URL without the values of credential parameters', async () => {
    const token = 'eyJhbGciOiJIUzI1NiJ9.secret-token-body.signature';
    await app.listen(0, '127.0.0.1');
    const answer = await fetch(`${await app.getUrl()}/monitor/dashboard?access_token=${token}&window=1h&code=an-oauth-code`);
    expect(answer.status).toBe(404);
    await close();
    const line = written()
      .split('\n')
      .find((entry) => entry.includes('request completed'));
    expect(JSON.parse(line!).url).toBe('/monitor/dashboard?access_token=[REDACTED]&window=1h&code=[REDACTED]');
    expect(written()).not.toContain('secret-token-body');
    expect(written()).not.toContain('an-oauth-code');
  });
});
