import { IsOptional } from 'class-validator';
import { BIO_RULES, IsEmailAddress, IsText, PASSWORD_RULES } from '@app/common';

/** `PATCH /users/me`: only the fields given change; `{}` changes nothing. */
export class UpdateUserDto {
  @IsOptional()
  @IsText(BIO_RULES)
  bio?: string;

  @IsOptional()
  @IsEmailAddress()
  email?: string;

  @IsOptional()
  @IsText(PASSWORD_RULES)
  password?: string;
}
