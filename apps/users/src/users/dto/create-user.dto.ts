import { IsDefined, IsEmail, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsText } from '@app/common';

export const USERNAME_PATTERN = /^[A-Za-z0-9_]{1,30}$/;
export const PASSWORD_RULES = { min: 8, max: 128 };
export const BIO_RULES = { min: 0, max: 160 };

export class CreateUserDto {
  // class-validator runs the last decorator first; with stopAtFirstError the first failure is told.
  @Matches(/^(?!me$)/i, { message: 'username "me" is reserved' })
  @Matches(USERNAME_PATTERN, { message: 'username must be 1 to 30 of A-Z, a-z, 0-9 and _' })
  @IsString({ message: 'username must be a string' })
  @IsDefined({ message: 'username is required' })
  username: string;

  @IsEmail({ allow_utf8_local_part: true }, { message: 'email must be a valid address' })
  @MaxLength(254, { message: 'email must be at most 254 characters' })
  @IsString({ message: 'email must be a string' })
  @IsDefined({ message: 'email is required' })
  email: string;

  @IsText(PASSWORD_RULES)
  @IsDefined({ message: 'password is required' })
  password: string;

  @IsOptional()
  @IsText(BIO_RULES)
  bio?: string;
}
