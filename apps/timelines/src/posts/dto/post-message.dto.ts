import { IsDefined } from 'class-validator';
import { IsText } from '@app/common';

export const MESSAGE_RULES = { min: 1, max: 280, notBlank: true };

/** The body of a new post, an edit and a comment. */
export class PostMessageDto {
  @IsText(MESSAGE_RULES)
  @IsDefined({ message: 'message is required' })
  message: string;
}
