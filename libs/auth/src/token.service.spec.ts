import { JwtService } from '@nestjs/jwt';
import { TokenService } from './token.service';

const SECRET = 'token-service-spec-secret-0123456789';

/** Tokens are checked once and then remembered until they expire; nothing else changes. */
describe('TokenService', () => {
  let jwt: JwtService;
  let tokens: TokenService;
  const ann = { id: 7, username: 'ann', role: 'user' as const };

  beforeEach(() => {
    jwt = new JwtService({ secret: SECRET, signOptions: { algorithm: 'HS256' } });
    tokens = new TokenService(jwt);
  });
  afterEach(() => jest.restoreAllMocks());

  it('checks a token’s signature once and answers it again from memory', () => {
    const { access_token } = tokens.issue(ann);
    const check = jest.spyOn(jwt, 'verify');
    expect(tokens.verify(access_token)).toEqual(ann);
    expect(tokens.verify(access_token)).toEqual(ann);
    expect(check).toHaveBeenCalledTimes(1);
  });

  it('refuses a remembered token from the moment it expires', () => {
    const token = jwt.sign({ sub: '7', username: 'ann' }, { expiresIn: 60 });
    const { exp } = jwt.decode<{ exp: number }>(token);
    expect(tokens.verify(token)).toEqual(ann);
    jest.spyOn(Date, 'now').mockReturnValue(exp * 1000 - 1);
    expect(tokens.verify(token)).toEqual(ann);
    jest.spyOn(Date, 'now').mockReturnValue(exp * 1000);
    expect(tokens.verify(token)).toBeNull();
  });

  it('does not take a token with a remembered token’s signature and other claims for it', () => {
    const { access_token } = tokens.issue(ann);
    expect(tokens.verify(access_token)).toEqual(ann);
    const [header, , signature] = access_token.split('.');
    const claims = Buffer.from(JSON.stringify({ sub: '1', username: 'root', role: 'admin', exp: 4_102_444_800 })).toString('base64url');
    expect(tokens.verify(`${header}.${claims}.${signature}`)).toBeNull();
  });

  it('refuses a token signed with another secret, and remembers no refusal', () => {
    const forged = new JwtService({ secret: 'another-secret-entirely-0123456789' }).sign({ sub: '7', username: 'ann' });
    const check = jest.spyOn(jwt, 'verify');
    expect(tokens.verify(forged)).toBeNull();
    expect(tokens.verify(forged)).toBeNull();
    expect(check).toHaveBeenCalledTimes(2);
  });
});
