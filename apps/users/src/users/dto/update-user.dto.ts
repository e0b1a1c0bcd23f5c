import { IsOptional } from 'class-validator';
import { ApiPropertyOptional, BIO_RULES, EMAIL_MAX_LENGTH, IsEmailAddress, IsText, PASSWORD_RULES } from '@app/common';

/** `PATCH /users/me`: only the fields given change; `{}` changes nothing. */
export class UpdateUserDto {
  @ApiPropertyOptional({ maxLength: BIO_RULES.max })
  @IsOptional()
  @IsText(BIO_RULES)
  bio?: string;

  @ApiPropertyOptional({ format: 'email', maxLength: EMAIL_MAX_LENGTH })
  @IsOptional()
  @IsEmailAddress()
  email?: string;

  @ApiPropertyOptional({ minLength: PASSWORD_RULES.min, maxLength: PASSWORD_RULES.max, format: 'password' })
  @IsOptional()
  @IsText(PASSWORD_RULES)
  password?: string;
}
