import { Controller, Get } from '@nestjs/common';
import { RouteSchema } from '@nestjs/platform-fastify';
import {
  ANY_LIST,
  ApiMastodon,
  ApiOperation,
  ApiQuery,
  ApiTags,
  MastodonParams,
  MastodonStatus,
  mastodonUnprocessable,
  PublicOrigin,
  STATUS_LIST_SCHEMA,
  textParam,
} from '@app/common';
import { MastodonTrendsService } from './mastodon-trends.service';

/** Mastodon's trends: statuses from the monitor's trending posts; no tags or links are kept, so those lists are empty. */
@ApiTags('mastodon: trends')
@Controller('api/v1/trends')
export class TrendsController {
  constructor(private readonly trends: MastodonTrendsService) {}

  @Get('statuses')
  @ApiOperation({ summary: 'The statuses with the most favourites, reblogs and replies in the last 24 hours' })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 40, default: 20 } })
  @ApiQuery({ name: 'offset', required: false, schema: { type: 'integer', minimum: 0, default: 0 } })
  @ApiMastodon(STATUS_LIST_SCHEMA, [422])
  @RouteSchema({ response: { 200: STATUS_LIST_SCHEMA } })
  statuses(@MastodonParams() params: Record<string, unknown>, @PublicOrigin() origin: string): Promise<MastodonStatus[]> {
    return this.trends.statuses(count(params, 'limit', 20, 1, 40), count(params, 'offset', 0, 0, Number.MAX_SAFE_INTEGER), origin);
  }

  @Get('tags')
  @ApiOperation({ summary: 'Trending hashtags: none are kept (an empty list)' })
  @ApiMastodon(ANY_LIST)
  tags(): [] {
    return [];
  }

  @Get('links')
  @ApiOperation({ summary: 'Trending links: none are kept (an empty list)' })
  @ApiMastodon(ANY_LIST)
  links(): [] {
    return [];
  }
}

/** A whole-number parameter, clamped into its range as Mastodon does; not a number is a 422. */
function count(params: Record<string, unknown>, key: string, fallback: number, min: number, max: number): number {
  const text = textParam(params, key);
  if (text === undefined) return fallback;
  if (!/^\d{1,15}$/.test(text)) throw mastodonUnprocessable(`${key} must be a whole number`);
  return Math.min(Math.max(Number(text), min), max);
}
