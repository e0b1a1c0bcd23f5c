import { Injectable, PipeTransform } from '@nestjs/common';
import { setImmediate as afterPendingWork } from 'node:timers/promises';
import { notFound } from '@app/common';

const POST_ID = /^[1-9]\d{0,15}$/;

/**
 * Post ids are positive integers; any other `:id` names no post, so it is a 404. The
 * contract puts a body's validation 400 before a 404, and Nest runs the pipes of all
 * parameters at once, so a malformed id is refused only after the body's validation (pure
 * promise work) has settled; a well-formed id costs nothing extra.
 */
@Injectable()
export class ParsePostIdPipe implements PipeTransform<string, number | Promise<number>> {
  transform(raw: string): number | Promise<number> {
    const id = POST_ID.test(raw) ? Number(raw) : NaN;
    if (Number.isSafeInteger(id)) return id;
    return afterPendingWork().then(() => {
      throw notFound(`post ${raw} does not exist`);
    });
  }
}
