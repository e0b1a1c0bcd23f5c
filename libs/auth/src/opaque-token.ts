import { createHmac, randomBytes } from 'node:crypto';

/** Opaque credentials this system hands out start with a prefix a JWT never has. */
export const OPAQUE_TOKEN_PREFIX = 'mbt_';

export function isOpaqueToken(token: string): boolean {
  return token.startsWith(OPAQUE_TOKEN_PREFIX);
}

/** A new credential of 256 random bits, URL-safe; `prefix` tells tokens from codes and secrets. */
export function newOpaqueCredential(prefix = OPAQUE_TOKEN_PREFIX): string {
  return prefix + randomBytes(32).toString('base64url');
}

/**
 * Tokens, codes and client secrets are stored and published only as this digest: an HMAC
 * keyed with the secret every service shares, so neither a database nor an event yields a
 * credential, or anything that could be checked against guesses without the secret.
 */
export function credentialDigest(secret: string, credential: string): string {
  return createHmac('sha256', secret).update('oauth-credential\0').update(credential).digest('base64url');
}
