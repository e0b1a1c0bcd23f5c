import { IsEmail, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsText } from '@app/common';
import { BIO_RULES, PASSWORD_RULES } from './create-user.dto';

/** `PATCH /users/me`: only the fields given change; `{}` changes nothing. */
export class UpdateUserDto {
  @IsOptional()
  @IsText(BIO_RULES)
  bio?: string;

  @IsEmail({ allow_utf8_local_part: true }, { message: 'email must be a valid address' })
  @MaxLength(254, { message: 'email must be at most 254 characters' })
  @IsString({ message: 'email must be a string' })
  @IsOptional()
  email?: string;

  @IsOptional()
  @IsText(PASSWORD_RULES)
  password?: string;
}
