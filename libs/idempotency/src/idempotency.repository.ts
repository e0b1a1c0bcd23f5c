import { Tx } from '@app/database';
/** One Idempotency-Key as stored: in flight until `status` is set, then the first answer. */
export interface IdempotencyRecord {
  scope: string;
  key: string;
  fingerprint: string;
  status: number | null;
  content_type: string | null;
  location: string | null;
  body: string | null;
  created_at: number;
}

export interface StoredAnswer {
  status: number;
  contentType: string;
  location: string | null;
  body: string;
}

/** Injection token of the IdempotencyRepository adapter. */
export const IDEMPOTENCY_REPOSITORY = Symbol('IdempotencyRepository');

/** Idempotency records in the service's own database, shared by all of its replicas. */
export interface IdempotencyRepository {
  writeTransaction<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  find(scope: string, key: string): Promise<IdempotencyRecord | undefined>;
  /** Starts (or restarts, replacing an expired or abandoned record) a key in flight. */
  putInFlight(tx: Tx, scope: string, key: string, fingerprint: string, now: number): Promise<void>;
  complete(tx: Tx, scope: string, key: string, answer: StoredAnswer): Promise<void>;
  /** Forgets a key still in flight, so the client may try again. */
  abandon(tx: Tx, scope: string, key: string): Promise<void>;
  purgeOlderThan(tx: Tx, cutoff: number): Promise<void>;
}
