import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, Clock, MastodonStatus, profileToAccount, toStatus } from '@app/common';
import { USERS_COPY_REPOSITORY, UsersCopyRepository } from '../users-copy/users-copy.repository';
import { ACTIVITY_REPOSITORY, ActivityRepository } from './activity.repository';
import { WINDOWS } from './activity.service';

/** How many trending statuses the monitor ranks; Mastodon's `offset` pages through them. */
const TRENDING_STATUSES = 40;

/**
 * Mastodon's trending statuses: the monitor's trending posts of the last 24 hours (the same
 * ranking as /monitor/trending), as statuses with their authors' accounts, from its own read
 * models only.
 */
@Injectable()
export class MastodonTrendsService {
  constructor(
    @Inject(ACTIVITY_REPOSITORY) private readonly activity: ActivityRepository,
    @Inject(USERS_COPY_REPOSITORY) private readonly users: UsersCopyRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async statuses(limit: number, offset: number, origin: string): Promise<MastodonStatus[]> {
    const ranked = await this.activity.trending(this.clock.now() - WINDOWS['24h'], TRENDING_STATUSES);
    const rows = ranked.slice(offset, offset + limit);
    const profiles = new Map((await this.users.profiles(rows.map((row) => row.username))).map((profile) => [profile.username.toLowerCase(), profile]));
    return rows.flatMap((row) => {
      const profile = profiles.get(row.username.toLowerCase());
      if (!profile) return []; // its author's registration not yet applied
      return [
        toStatus({
          id: row.id,
          text: row.message,
          createdAt: row.created_at,
          editedAt: row.edited_at,
          account: profileToAccount(profile, origin),
          inReplyToId: null,
          inReplyToAccountId: null,
          reblogs: row.reposts,
          favourites: row.likes,
          replies: row.replies,
          viewer: null,
        }),
      ];
    });
  }
}
