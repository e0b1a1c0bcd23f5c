import { Test } from '@nestjs/testing';
import { OUTBOX } from '@app/events';
import { VerifiedCredentialsCache } from '../credentials/verified-credentials.cache';
import { USERS_REPOSITORY, UserRow, UsersRepository } from './users.repository';
import { UsersService } from './users.service';
import { Tx } from '@app/database';

/** What the stub's transaction hands its work. */
const TX = {} as Tx;

const user = (id: number, username: string): UserRow => ({
  id,
  username,
  email: `${username}@example.com`,
  bio: '',
  created_at: '2026-01-01T00:00:00.000Z',
  role: 'user',
  credentials_version: 1,
  followers: 0,
  following: 0,
});

describe('UsersService', () => {
  let service: UsersService;
  let inTransaction = false;
  const repository = {
    writeTransaction: jest.fn(async <T>(work: (tx: Tx) => Promise<T>): Promise<T> => {
      inTransaction = true;
      try {
        return await work(TX);
      } finally {
        inTransaction = false;
      }
    }),
    insert: jest.fn(),
    update: jest.fn(),
    follow: jest.fn(() => {
      expect(inTransaction).toBe(true);
      return true;
    }),
    unfollow: jest.fn(() => {
      expect(inTransaction).toBe(true);
      return false;
    }),
    findByUsername: jest.fn(),
    findById: jest.fn(),
    setRole: jest.fn(),
  };
  const verified = { forget: jest.fn() };
  const outbox = { record: jest.fn((..._args: unknown[]) => expect(inTransaction).toBe(true)) };

  beforeEach(async () => {
    jest.clearAllMocks();
    const moduleRef = await Test.createTestingModule({
      providers: [
        UsersService,
        { provide: USERS_REPOSITORY, useValue: repository as unknown as UsersRepository },
        { provide: VerifiedCredentialsCache, useValue: verified },
        { provide: OUTBOX, useValue: outbox },
      ],
    }).compile();
    service = moduleRef.get(UsersService);
  });

  it('registers with a hashed password, never the password itself', async () => {
    repository.insert.mockReturnValue(7);
    repository.findById.mockReturnValue(user(7, 'ann'));
    const created = await service.register({ username: 'ann', email: 'ann@example.com', password: 'a long password' });
    expect(created).toEqual({
      id: 7,
      username: 'ann',
      email: 'ann@example.com',
      bio: '',
      createdAt: '2026-01-01T00:00:00.000Z',
      role: 'user',
      followers: 0,
      following: 0,
    });
    const stored = repository.insert.mock.calls[0][1];
    expect(stored.passwordHash).toMatch(/^\$scrypt\$/);
    expect(JSON.stringify(stored)).not.toContain('a long password');
    expect(stored.bio).toBe('');
    expect(outbox.record).toHaveBeenCalledWith(TX, 'user.registered', expect.objectContaining({ id: 7, username: 'ann', role: 'user' }));
    expect(JSON.stringify(outbox.record.mock.calls)).not.toMatch(/email|password|scrypt/);
  });

  it('says which of username and email is taken when the UNIQUE indexes refuse a registration', async () => {
    repository.insert.mockReturnValue(null);
    repository.findByUsername.mockReturnValueOnce(user(1, 'ann')).mockReturnValueOnce(undefined);
    await expect(service.register({ username: 'ANN', email: 'x@example.com', password: 'a long password' })).rejects.toMatchObject({
      detail: 'username is already taken',
    });
    await expect(service.register({ username: 'new', email: 'ann@example.com', password: 'a long password' })).rejects.toMatchObject({
      detail: 'email is already taken',
    });
  });

  it('forgets remembered credentials when, and only when, the password changes', async () => {
    repository.update.mockReturnValue(true);
    repository.findById.mockReturnValue(user(1, 'ann'));
    await service.update({ id: 1, username: 'ann' }, { bio: 'new' });
    expect(verified.forget).not.toHaveBeenCalled();
    await service.update({ id: 1, username: 'ann' }, { password: 'another long one' });
    expect(verified.forget).toHaveBeenCalledWith(1);
    expect(outbox.record.mock.calls.map(([, type]) => type)).toEqual(['user.updated', 'user.credentials-changed']);
    expect(JSON.stringify(outbox.record.mock.calls)).not.toContain('another long one');
    repository.update.mockReturnValue(false);
    await expect(service.update({ id: 1, username: 'ann' }, { email: 'taken@example.com' })).rejects.toMatchObject({ detail: 'email is already taken' });
  });

  it('changes a role inside a transaction, says what it was, and changes nothing when it is the same', async () => {
    repository.setRole = jest.fn(() => expect(inTransaction).toBe(true));
    repository.findByUsername.mockReturnValueOnce(user(1, 'ann')).mockReturnValueOnce({ ...user(1, 'ann'), role: 'admin' });
    expect(await service.changeRole('ANN', 'admin')).toEqual({ username: 'ann', role: 'admin', previous: 'user' });
    expect(await service.changeRole('ann', 'admin')).toEqual({ username: 'ann', role: 'admin', previous: 'admin' });
    expect(repository.setRole).toHaveBeenCalledTimes(1);
    await expect(service.changeRole('nobody', 'admin')).rejects.toThrow('user nobody does not exist');
  });

  it('follows and unfollows inside a transaction, never yourself, 404 for nobody', async () => {
    repository.findByUsername.mockImplementation((name: string) => (name.toLowerCase() === 'bob' ? user(2, 'bob') : undefined));
    repository.findById.mockReturnValue(user(1, 'ann'));
    repository.follow.mockReturnValueOnce(true).mockReturnValueOnce(false);
    expect(await service.follow({ id: 1, username: 'ann' }, 'BOB')).toEqual({ username: 'bob', following: true });
    expect(await service.follow({ id: 1, username: 'ann' }, 'bob')).toEqual({ username: 'bob', following: true });
    expect(outbox.record.mock.calls).toEqual([[TX, 'user.followed', { followerId: 1, follower: 'ann', followeeId: 2, followee: 'bob' }]]);
    expect(repository.follow).toHaveBeenCalledWith(TX, 1, 2, expect.any(String));
    await expect(service.follow({ id: 2, username: 'bob' }, 'bob')).rejects.toThrow('you cannot follow yourself');
    await expect(service.follow({ id: 1, username: 'ann' }, 'nobody')).rejects.toThrow('user nobody does not exist');
    expect(await service.unfollow({ id: 1, username: 'ann' }, 'bob')).toEqual({ username: 'bob', following: false });
    expect(repository.follow).toHaveBeenCalledTimes(2);
  });
});
