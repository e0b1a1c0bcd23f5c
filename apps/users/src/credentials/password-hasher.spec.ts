import { hashPassword, needsRehash, SCRYPT_PARAMS, verifyPassword } from './password-hasher';

describe('password hashing', () => {
  it('salts every hash and verifies only the right password', async () => {
    const first = await hashPassword('pass:with:colons ünïcode');
    const second = await hashPassword('pass:with:colons ünïcode');
    expect(first).not.toBe(second);
    expect(first).toMatch(new RegExp(`^\\$scrypt\\$ln=${SCRYPT_PARAMS.logN},r=8,p=1\\$`));
    expect(first).not.toContain('pass:with');
    await expect(verifyPassword('pass:with:colons ünïcode', first)).resolves.toBe(true);
    await expect(verifyPassword('pass:with:colons', first)).resolves.toBe(false);
    await expect(verifyPassword('anything', 'not a hash')).resolves.toBe(false);
  });

  it('asks for a rehash when the parameters changed', async () => {
    expect(needsRehash(await hashPassword('password1'))).toBe(false);
    expect(needsRehash('$scrypt$ln=10,r=8,p=1$c2FsdA$a2V5')).toBe(true);
  });
});
