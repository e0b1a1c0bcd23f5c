import { AuthUser } from '@app/auth';

/** Injection token of whatever tells timelines a user's current role. */
export const USER_ROLES = Symbol('UserRoles');

/**
 * The current role of a user, as the users service knows it now (at most a couple of
 * seconds old), never as a token claimed it when issued: a revocation must count at once.
 */
export interface UserRoles {
  isAdmin(user: AuthUser): Promise<boolean>;
}
