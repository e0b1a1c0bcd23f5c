import { Controller, Get } from '@nestjs/common';
import { ANY_LIST, ANY_OBJECT, ApiMastodon, ApiMastodonToken, ApiOperation, ApiTags } from '@app/common';
import { UserToken } from '@app/auth';

/**
 * What apps ask for on their first screen and this system does not keep (notifications,
 * lists, filters, …): the empty answer of the documented shape, never a 404.
 */
@ApiTags('mastodon: not kept here (empty answers)')
@Controller('api')
export class StartUpController {
  @Get([
    'v1/notifications',
    'v1/lists',
    'v1/filters',
    'v2/filters',
    'v1/follow_requests',
    'v1/blocks',
    'v1/mutes',
    'v1/bookmarks',
    'v1/announcements',
    'v1/domain_blocks',
    'v1/conversations',
    'v1/endorsements',
    'v1/featured_tags',
    'v1/followed_tags',
    'v1/scheduled_statuses',
  ])
  @UserToken()
  @ApiOperation({ summary: 'An empty list: not kept by this system' })
  @ApiMastodonToken()
  @ApiMastodon(ANY_LIST, [401])
  emptyList(): [] {
    return [];
  }

  @Get('v1/custom_emojis')
  @ApiOperation({ summary: 'No custom emojis' })
  @ApiMastodon(ANY_LIST)
  customEmojis(): [] {
    return [];
  }

  @Get('v1/preferences')
  @UserToken('read:accounts')
  @ApiOperation({ summary: 'Posting and reading preferences: the defaults, the only ones served' })
  @ApiMastodonToken()
  @ApiMastodon(ANY_OBJECT, [401, 403])
  preferences(): Record<string, unknown> {
    return {
      'posting:default:visibility': 'public',
      'posting:default:sensitive': false,
      'posting:default:language': null,
      'reading:expand:media': 'default',
      'reading:expand:spoilers': false,
    };
  }

  @Get('v1/markers')
  @UserToken('read:statuses')
  @ApiOperation({ summary: 'Where the user stopped reading: none kept' })
  @ApiMastodonToken()
  @ApiMastodon(ANY_OBJECT, [401, 403])
  markers(): Record<string, never> {
    return {};
  }
}
