import { IsDefined } from 'class-validator';
import { IsText, MESSAGE_RULES } from '@app/common';

/** The body of a new post, an edit and a comment. */
export class PostMessageDto {
  @IsText(MESSAGE_RULES)
  @IsDefined({ message: 'message is required' })
  message: string;
}
