import { PipeTransform } from '@nestjs/common';
import { mastodonNotFound } from './mastodon-error';

/** A Mastodon id in a path: a string of digits; anything else names no record (404, as Mastodon). */
export class MastodonIdPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    if (!/^\d{1,15}$/.test(value)) throw mastodonNotFound();
    return Number(value);
  }
}
