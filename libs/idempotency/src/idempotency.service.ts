import { Inject, Injectable } from '@nestjs/common';
import { conflict, ProblemException } from '@app/common';
import { IDEMPOTENCY_REPOSITORY, IdempotencyRecord, IdempotencyRepository, StoredAnswer } from './idempotency.repository';

/** Records are kept, and a key is remembered, for 24 hours. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** A key in flight longer than this belongs to a request whose process died: it may be taken again. */
export const IN_FLIGHT_LEASE_MS = 30_000;
const PURGE_INTERVAL_MS = 60_000;

export const unprocessable = (detail: string) => new ProblemException(422, detail);

/**
 * The rules of `Idempotency-Key` (draft-ietf-httpapi-idempotency-key-header): the first
 * request with a key is applied and its answer kept; a repeat with the same fingerprint gets
 * that answer again, one with another fingerprint is a 422, one while the first is still
 * being processed a 409. Each decision is one write transaction, so two replicas that get
 * the same key at once cannot both apply it; the effect and its answer are one more.
 */
@Injectable()
export class IdempotencyService {
  private lastPurge = 0;

  constructor(@Inject(IDEMPOTENCY_REPOSITORY) private readonly records: IdempotencyRepository) {}

  /** The answer to replay, or null when this request is the first and must be applied. */
  async begin(scope: string, key: string, fingerprint: string): Promise<IdempotencyRecord | null> {
    const now = Date.now();
    await this.purgeNowAndThen(now);
    return this.records.writeTransaction(async (tx) => {
      const existing = await this.records.find(scope, key);
      const live =
        existing !== undefined &&
        existing.created_at > now - IDEMPOTENCY_TTL_MS &&
        !(existing.status === null && existing.created_at <= now - IN_FLIGHT_LEASE_MS);
      if (live) {
        if (existing.fingerprint !== fingerprint) {
          throw unprocessable('this Idempotency-Key was used for a different request; use a new key');
        }
        if (existing.status === null) throw conflict('a request with this Idempotency-Key is still being processed; retry shortly');
        return existing;
      }
      await this.records.putInFlight(tx, scope, key, fingerprint, now);
      return null;
    });
  }

  /**
   * Runs the request's effect and keeps its answer in one write transaction (the effect's own
   * transactions join it): either both are committed or neither, so a process that dies at any
   * point leaves either the answer to replay or no effect at all, never an effect without its
   * answer (which a retry after the lease would apply a second time).
   */
  applyOnce<T>(scope: string, key: string, effect: () => Promise<{ result: T; answer: StoredAnswer }>): Promise<T> {
    return this.records.writeTransaction(async (tx) => {
      const { result, answer } = await effect();
      await this.records.complete(tx, scope, key, answer);
      return result;
    });
  }

  /** Keeps the answer of a request that changed nothing (a client error). */
  complete(scope: string, key: string, answer: StoredAnswer): Promise<void> {
    return this.records.writeTransaction((tx) => this.records.complete(tx, scope, key, answer));
  }

  abandon(scope: string, key: string): Promise<void> {
    return this.records.writeTransaction((tx) => this.records.abandon(tx, scope, key));
  }

  private async purgeNowAndThen(now: number): Promise<void> {
    if (now - this.lastPurge < PURGE_INTERVAL_MS) return;
    this.lastPurge = now;
    await this.records.writeTransaction((tx) => this.records.purgeOlderThan(tx, now - IDEMPOTENCY_TTL_MS));
  }
}
