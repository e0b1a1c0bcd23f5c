/** The roles of the contract: every user has one; only an operator changes it. */
export const ROLES = ['user', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return (ROLES as readonly unknown[]).includes(value);
}

/**
 * Who a request acts as: always taken from its credentials, never from its body or query.
 * `role` is what the credentials said when they were checked; a right that needs admin is
 * decided from the current role, never from this (a token outlives a revocation).
 */
export interface AuthUser {
  id: number;
  username: string;
  role?: Role;
  /** Which password the Basic credentials were checked against (counts password changes); none for tokens. */
  credentialsVersion?: number;
}
