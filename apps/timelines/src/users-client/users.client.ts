import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { createHmac } from 'node:crypto';
import { Agent } from 'node:http';
import CircuitBreaker from 'opossum';
import { boundedCache, metrics, notFound, serviceUnavailable, tooManyRequests } from '@app/common';
import { AuthUser, isRole, Role, TokenGrant, unauthorized } from '@app/auth';
import { TimelinesConfig } from '../timelines-config';
import { sendToUsers, UsersRequest, UsersResponse } from './users-http';

/** Who asks: forwarded so users throttles the real client and logs the same request id. */
export interface Caller {
  clientAddress: string;
  requestId: string;
}

/** A user as the native API shows one. */
export interface UserProfile {
  id: number;
  username: string;
  bio: string;
  createdAt: string;
  followers: number;
  following: number;
}

const CACHE_SIZE = 50_000;

/**
 * The timelines service's only way to the users service. Calls go through an opossum
 * circuit breaker, so when users is down they fail in well under a second with 503 and
 * Retry-After, and the breaker lets a trial call through on its own to find users again.
 * Answers are cached briefly, and a burst of identical lookups shares one call.
 */
@Injectable()
export class UsersClient implements OnApplicationShutdown {
  private readonly logger = new Logger(UsersClient.name);
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });
  private readonly breaker: CircuitBreaker<[UsersRequest], UsersResponse>;
  private readonly verified: LRUCache<string, Promise<AuthUser>>;
  private readonly followings: LRUCache<string, Promise<string[]>>;
  private readonly roles: LRUCache<string, Promise<Role>>;
  private readonly profiles: LRUCache<string, Promise<UserProfile | undefined>>;
  private readonly grants: LRUCache<string, Promise<TokenGrant | null>>;

  constructor(private readonly config: TimelinesConfig) {
    this.breaker = new CircuitBreaker(
      async (request: UsersRequest) => {
        const response = await sendToUsers(config.USERS_URL, this.agent, config.USERS_TIMEOUT_MS, request);
        if (response.status >= 500) throw new Error(`users answered ${response.status}`);
        return response;
      },
      {
        // sendToUsers enforces USERS_TIMEOUT_MS. A slow answer (users busy hashing a burst of
        // logins) is not a dead service, so only refused connections and 5xx open the circuit.
        timeout: false,
        errorFilter: (error: { code?: string }) => error.code === 'ETIMEDOUT',
        resetTimeout: config.USERS_CIRCUIT_RESET_MS,
        errorThresholdPercentage: 50,
        volumeThreshold: 3,
        rollingCountTimeout: 5000,
      },
    );
    const breaker = this.breaker;
    metrics.gauge('users_client_circuit_state', 'The circuit to users: 0 closed, 1 half open, 2 open', [], (set) =>
      set({}, breaker.opened ? 2 : breaker.halfOpen ? 1 : 0),
    );
    this.breaker.on('open', () => this.logger.warn('users service unreachable: circuit open'));
    this.breaker.on('close', () => this.logger.log('users service reachable again: circuit closed'));
    const ttl = Math.max(1, config.USERS_CACHE_TTL_MS);
    this.verified = boundedCache(CACHE_SIZE, ttl);
    this.followings = boundedCache(CACHE_SIZE, ttl);
    this.roles = boundedCache(CACHE_SIZE, ttl);
    this.profiles = boundedCache(CACHE_SIZE, ttl);
    this.grants = boundedCache(CACHE_SIZE, ttl);
  }

  get reachable(): boolean {
    return !this.breaker.opened;
  }

  /** The user that Basic credentials belong to, as users' POST /auth/verify decides. */
  verifyBasic(username: string, password: string, caller: Caller): Promise<AuthUser> {
    // Keyed by an HMAC of the credentials: the cache never holds a password.
    const key = createHmac('sha256', this.config.JWT_SECRET).update(username).update('\0').update(password).digest('base64');
    return this.cached(this.verified, key, async () => {
      const response = await this.call({
        method: 'POST',
        url: '/auth/verify',
        auth: { username, password },
        headers: this.forwarded(caller),
      });
      if (response.status === 200) {
        const {
          id,
          username: name,
          role,
          credentialsVersion,
        } = response.data as {
          id: number;
          username: string;
          role?: unknown;
          credentialsVersion?: unknown;
        };
        return {
          id,
          username: name,
          role: isRole(role) ? role : 'user',
          ...(typeof credentialsVersion === 'number' ? { credentialsVersion } : {}),
        };
      }
      if (response.status === 429) {
        throw tooManyRequests('too many failed logins; try again later', Number(response.headers['retry-after']) || 1);
      }
      throw unauthorized('the username or password is wrong');
    });
  }

  /** The usernames `username` follows. */
  following(username: string, caller: Caller): Promise<string[]> {
    return this.cached(this.followings, username.toLowerCase(), async () => {
      const response = await this.call({
        method: 'GET',
        url: `/internal/users/${encodeURIComponent(username)}/following`,
        headers: this.forwarded(caller),
      });
      if (response.status === 200) return (response.data as { usernames: string[] }).usernames;
      throw notFound(`user ${username} does not exist`);
    });
  }

  /** Whether the user is an admin now (cached as briefly as follow lists); 503 when users cannot say. */
  async isAdmin(user: AuthUser): Promise<boolean> {
    const role = await this.cached(this.roles, user.username.toLowerCase(), async () => {
      const response = await this.call({ method: 'GET', url: `/internal/users/${encodeURIComponent(user.username)}/role` });
      const role = (response.data as { role?: unknown } | undefined)?.role;
      if (response.status === 200 && isRole(role)) return role;
      return 'user';
    });
    return role === 'admin';
  }

  /** What an OAuth token allows, as users decides it (null: unknown, revoked or its user's password changed). */
  verifyToken(token: string): Promise<TokenGrant | null> {
    const key = createHmac('sha256', this.config.JWT_SECRET).update('token\0').update(token).digest('base64');
    return this.cached(this.grants, key, async () => {
      const response = await this.call({ method: 'POST', url: '/internal/oauth/verify', headers: { Authorization: `Bearer ${token}` } });
      return response.status === 200 ? (response.data as TokenGrant) : null;
    });
  }

  /** The account as the users service shows it (GET /users/{username}), for an author the read model does not know yet. */
  profile(username: string): Promise<UserProfile | undefined> {
    return this.cached(this.profiles, username.toLowerCase(), async () => {
      const response = await this.call({ method: 'GET', url: `/users/${encodeURIComponent(username)}` });
      return response.status === 200 ? (response.data as UserProfile) : undefined;
    });
  }

  async userExists(username: string, caller: Caller): Promise<boolean> {
    const response = await this.call({
      method: 'GET',
      url: `/users/${encodeURIComponent(username)}`,
      headers: this.forwarded(caller),
    });
    return response.status === 200;
  }

  onApplicationShutdown(): void {
    this.breaker.shutdown();
    this.agent.destroy();
  }

  private readonly calls = metrics.counter('users_client_calls_total', 'Calls timelines made to users, by route and outcome', ['route', 'outcome']);

  private async call(request: UsersRequest): Promise<UsersResponse> {
    const route = (request.url ?? '').replace(/^\/internal\/users\/[^/]+/, '/internal/users/:username').replace(/^\/users\/[^/]+$/, '/users/:username');
    try {
      const response = await this.breaker.fire(request);
      this.calls.inc({ route, outcome: String(response.status) });
      return response;
    } catch (error) {
      this.calls.inc({ route, outcome: this.breaker.opened ? 'circuit-open' : 'failed' });
      this.logger.warn(`users service call failed: ${(error as Error).message}`);
      throw serviceUnavailable('the users service is unavailable; try again shortly', 1);
    }
  }

  /** Shares one pending lookup between identical requests; failures are never cached. */
  private cached<T>(cache: LRUCache<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
    const hit = cache.get(key);
    if (hit) return hit;
    const pending = load();
    cache.set(key, pending);
    pending.catch(() => {
      if (cache.get(key) === pending) cache.delete(key);
    });
    return pending;
  }

  private forwarded(caller: Caller): Record<string, string> {
    return { 'X-Forwarded-For': caller.clientAddress, 'X-Request-ID': caller.requestId };
  }
}
