import { HttpException, NotFoundException } from '@nestjs/common';
import { ProblemException, toProblem, tooManyRequests } from './problem';

describe('toProblem', () => {
  it('keeps the detail, errors and headers of a ProblemException', () => {
    const { problem, headers } = toProblem(tooManyRequests('slow down', 12.2));
    expect(problem).toEqual({ type: 'about:blank', title: 'Too Many Requests', status: 429, detail: 'slow down' });
    expect(headers).toEqual({ 'Retry-After': '13' });
    const withErrors = toProblem(new ProblemException(400, 'bad', {}, [{ field: 'a', message: 'bad' }]));
    expect(withErrors.problem.errors).toEqual([{ field: 'a', message: 'bad' }]);
  });

  it("tells Fastify's own rejections in plain words", () => {
    const tooLarge = new HttpException('x', 413, { cause: Object.assign(new Error('x'), { statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE' }) });
    expect(toProblem(tooLarge).problem).toMatchObject({ status: 413, detail: 'request body is larger than 64 KiB' });
    const badJson = new HttpException('x', 400, { cause: Object.assign(new SyntaxError('Unexpected'), { statusCode: 400 }) });
    expect(toProblem(badJson).problem.detail).toBe('request body is not valid JSON');
  });

  it("maps Nest's exceptions and hides everything about unexpected errors", () => {
    expect(toProblem(new NotFoundException('Cannot GET /x')).problem).toMatchObject({ status: 404, detail: 'Cannot GET /x' });
    const hidden = toProblem(new Error('SQLITE_ERROR: no such table at /srv/app.js:1'));
    expect(hidden.problem).toEqual({ type: 'about:blank', title: 'Internal Server Error', status: 500, detail: 'the server could not handle this request' });
  });
});
