import { Role } from '@app/auth';
import { UserRow } from './users.repository';

export interface PublicUser {
  id: number;
  username: string;
  bio: string;
  createdAt: string;
  followers: number;
  following: number;
}

export interface OwnerUser extends PublicUser {
  email: string;
  role: Role;
}

export function toPublicUser(row: UserRow): PublicUser {
  return {
    id: row.id,
    username: row.username,
    bio: row.bio,
    createdAt: row.created_at,
    followers: row.followers,
    following: row.following,
  };
}

export function toOwnerUser(row: UserRow): OwnerUser {
  return { ...toPublicUser(row), email: row.email, role: row.role };
}
