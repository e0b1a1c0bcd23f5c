import { IsDefined, IsOptional } from 'class-validator';
import {
  ApiProperty,
  ApiPropertyOptional,
  BIO_RULES,
  EMAIL_MAX_LENGTH,
  IsEmailAddress,
  IsText,
  IsUsername,
  PASSWORD_RULES,
  USERNAME_PATTERN,
} from '@app/common';

/** `POST /users`. class-validator runs the last decorator first; with stopAtFirstError the first failure is told. */
export class CreateUserDto {
  @ApiProperty({ pattern: USERNAME_PATTERN.source, description: 'unique without regard to case; not "me"', examples: ['alice'] })
  @IsUsername()
  @IsDefined({ message: 'username is required' })
  username: string;

  @ApiProperty({ format: 'email', maxLength: EMAIL_MAX_LENGTH, description: 'unique without regard to case', examples: ['alice@example.com'] })
  @IsEmailAddress()
  @IsDefined({ message: 'email is required' })
  email: string;

  @ApiProperty({ minLength: PASSWORD_RULES.min, maxLength: PASSWORD_RULES.max, format: 'password' })
  @IsText(PASSWORD_RULES)
  @IsDefined({ message: 'password is required' })
  password: string;

  @ApiPropertyOptional({ maxLength: BIO_RULES.max, default: '' })
  @IsOptional()
  @IsText(BIO_RULES)
  bio?: string;
}
