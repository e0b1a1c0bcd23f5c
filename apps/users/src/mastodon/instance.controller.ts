import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import {
  ANY_LIST,
  ANY_OBJECT,
  ApiMastodon,
  ApiOperation,
  ApiResponse,
  ApiTags,
  DEFAULT_AVATAR_PATH,
  DEFAULT_HEADER_PATH,
  MESSAGE_RULES,
  PublicOrigin,
} from '@app/common';
import { USERS_REPOSITORY, UsersRepository } from '../users/users.repository';
import { DEFAULT_AVATAR, DEFAULT_HEADER } from './default-images';

/** What both instance documents say of media and polls: none are taken. */
const NO_MEDIA_NOR_POLLS = {
  media_attachments: {
    supported_mime_types: [],
    image_size_limit: 0,
    image_matrix_limit: 0,
    video_size_limit: 0,
    video_frame_rate_limit: 0,
    video_matrix_limit: 0,
  },
  polls: { max_options: 0, max_characters_per_option: 0, min_expiration: 0, max_expiration: 0 },
};

/** The Mastodon version apps read to decide what they may ask for, with what this system is. */
export const MASTODON_VERSION = '4.2.0 (compatible; microblog 1.0)';
const TITLE = 'microblog';
const DESCRIPTION = 'A Twitter-style microblog: short public posts, follows, likes and reposts.';
const RULES = [{ id: '1', text: 'Be kind: no harassment, spam or illegal content.', hint: '' }];

/** Instance, nodeinfo and the default images: what an app reads before anyone signs in. */
@ApiTags('mastodon: instance')
@Controller()
export class InstanceController {
  constructor(@Inject(USERS_REPOSITORY) private readonly users: UsersRepository) {}

  @Get('api/v2/instance')
  @ApiOperation({ summary: "The server's description (Mastodon's Instance v2)" })
  @ApiMastodon(ANY_OBJECT)
  async instanceV2(@PublicOrigin() origin: string): Promise<Record<string, unknown>> {
    const host = new URL(origin).host;
    return {
      domain: host,
      title: TITLE,
      version: MASTODON_VERSION,
      source_url: 'https://github.com/',
      description: DESCRIPTION,
      usage: { users: { active_month: await this.users.count() } },
      thumbnail: { url: origin + DEFAULT_HEADER_PATH, blurhash: null, versions: {} },
      icon: [],
      languages: ['en'],
      configuration: {
        urls: { streaming: origin.replace(/^http/, 'ws'), status: null, about: `${origin}/docs`, privacy_policy: null, terms_of_service: null },
        vapid: { public_key: '' },
        accounts: { max_featured_tags: 0, max_pinned_statuses: 0 },
        statuses: { max_characters: MESSAGE_RULES.max, max_media_attachments: 0, characters_reserved_per_url: 23 },
        ...NO_MEDIA_NOR_POLLS,
        translation: { enabled: false },
      },
      registrations: { enabled: true, approval_required: false, message: null, url: null },
      api_versions: { mastodon: 1 },
      contact: { email: '', account: null },
      rules: RULES,
    };
  }

  @Get('api/v1/instance')
  @ApiOperation({ summary: "The server's description (Mastodon's Instance v1, which Mastodon for Android reads)" })
  @ApiMastodon(ANY_OBJECT)
  async instanceV1(@PublicOrigin() origin: string): Promise<Record<string, unknown>> {
    return {
      uri: new URL(origin).host,
      title: TITLE,
      short_description: DESCRIPTION,
      description: DESCRIPTION,
      email: '',
      version: MASTODON_VERSION,
      urls: { streaming_api: origin.replace(/^http/, 'ws') },
      stats: { user_count: await this.users.count(), status_count: 0, domain_count: 1 },
      thumbnail: origin + DEFAULT_HEADER_PATH,
      languages: ['en'],
      registrations: true,
      approval_required: false,
      invites_enabled: false,
      configuration: {
        accounts: { max_featured_tags: 0 },
        statuses: { max_characters: MESSAGE_RULES.max, max_media_attachments: 0, characters_reserved_per_url: 23 },
        ...NO_MEDIA_NOR_POLLS,
      },
      contact_account: null,
      rules: RULES,
    };
  }

  @Get('api/v1/instance/rules')
  @ApiOperation({ summary: "The server's rules" })
  @ApiMastodon(ANY_LIST)
  rules(): typeof RULES {
    return RULES;
  }

  @Get('api/v1/instance/languages')
  @ApiOperation({ summary: 'The languages of the server' })
  @ApiMastodon(ANY_LIST)
  languages(): Array<{ code: string; name: string }> {
    return [{ code: 'en', name: 'English' }];
  }

  @Get('.well-known/nodeinfo')
  @ApiOperation({ summary: 'Where the nodeinfo document is (what megalodon detects a server by)' })
  @ApiMastodon(ANY_OBJECT)
  nodeinfoLinks(@PublicOrigin() origin: string): Record<string, unknown> {
    return { links: [{ rel: 'http://nodeinfo.diaspora.software/ns/schema/2.0', href: `${origin}/nodeinfo/2.0` }] };
  }

  @Get('nodeinfo/2.0')
  @ApiOperation({ summary: 'Nodeinfo 2.0: the software (named mastodon, which clients detect) and its usage' })
  @ApiMastodon(ANY_OBJECT)
  async nodeinfo(): Promise<Record<string, unknown>> {
    const users = await this.users.count();
    return {
      version: '2.0',
      software: { name: 'mastodon', version: MASTODON_VERSION },
      protocols: [],
      services: { outbound: [], inbound: [] },
      usage: { users: { total: users, activeMonth: users, activeHalfyear: users }, localPosts: 0 },
      openRegistrations: true,
      metadata: { nodeName: TITLE },
    };
  }

  @Get(DEFAULT_AVATAR_PATH.slice(1))
  @ApiOperation({ summary: "Every account's avatar (a PNG)" })
  @ApiResponse({ status: 200, description: 'a PNG image', content: { 'image/png': { schema: { type: 'string', format: 'binary' } } } })
  avatar(@Res() reply: FastifyReply): void {
    reply.type('image/png').header('Cache-Control', 'public, max-age=86400').send(DEFAULT_AVATAR);
  }

  @Get(DEFAULT_HEADER_PATH.slice(1))
  @ApiOperation({ summary: "Every account's header image (a PNG)" })
  @ApiResponse({ status: 200, description: 'a PNG image', content: { 'image/png': { schema: { type: 'string', format: 'binary' } } } })
  header(@Res() reply: FastifyReply): void {
    reply.type('image/png').header('Cache-Control', 'public, max-age=86400').send(DEFAULT_HEADER);
  }
}
