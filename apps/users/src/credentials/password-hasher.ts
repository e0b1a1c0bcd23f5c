import { randomBytes, scrypt, ScryptOptions, timingSafeEqual } from 'node:crypto';

/**
 * scrypt with N = 2^13, r = 8, p = 1 (8 MiB per hash): about 20 ms on this 2-core machine,
 * so a login stays well under 50 ms while each guess still costs an attacker 8 MiB and 20 ms.
 * Hashes are PHC strings that carry their parameters, so they can be raised later: a login
 * with older parameters is rehashed.
 */
export const SCRYPT_PARAMS = { logN: 13, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
const PHC = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

function derive(password: string, salt: Buffer, logN: number, r: number, p: number): Promise<Buffer> {
  const options: ScryptOptions = { N: 2 ** logN, r, p, maxmem: 256 * 2 ** logN * r * p };
  return new Promise((resolve, reject) => scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key))));
}

export async function hashPassword(password: string): Promise<string> {
  const { logN, r, p } = SCRYPT_PARAMS;
  const salt = randomBytes(SALT_LENGTH);
  const key = await derive(password, salt, logN, r, p);
  return `$scrypt$ln=${logN},r=${r},p=${p}$${salt.toString('base64').replace(/=+$/, '')}$${key.toString('base64').replace(/=+$/, '')}`;
}

export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  const match = PHC.exec(hash);
  if (!match) return false;
  const [, logN, r, p, salt, expected] = match;
  const expectedKey = Buffer.from(expected, 'base64');
  const key = await derive(password, Buffer.from(salt, 'base64'), +logN, +r, +p);
  return key.length === expectedKey.length && timingSafeEqual(key, expectedKey);
}

export function needsRehash(hash: string): boolean {
  const match = PHC.exec(hash);
  const { logN, r, p } = SCRYPT_PARAMS;
  return !match || +match[1] !== logN || +match[2] !== r || +match[3] !== p;
}
