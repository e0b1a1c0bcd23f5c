import { IsDefined, IsOptional } from 'class-validator';
import { BIO_RULES, IsEmailAddress, IsText, IsUsername, PASSWORD_RULES } from '@app/common';

/** `POST /users`. class-validator runs the last decorator first; with stopAtFirstError the first failure is told. */
export class CreateUserDto {
  @IsUsername()
  @IsDefined({ message: 'username is required' })
  username: string;

  @IsEmailAddress()
  @IsDefined({ message: 'email is required' })
  email: string;

  @IsText(PASSWORD_RULES)
  @IsDefined({ message: 'password is required' })
  password: string;

  @IsOptional()
  @IsText(BIO_RULES)
  bio?: string;
}
