import { IsDefined } from 'class-validator';
import { ApiProperty, IsText, MESSAGE_RULES } from '@app/common';

/** The body of a new post, an edit and a comment. */
export class PostMessageDto {
  @ApiProperty({
    minLength: MESSAGE_RULES.min,
    maxLength: MESSAGE_RULES.max,
    description: 'Unicode code points; not only white space',
    examples: ['hello world'],
  })
  @IsText(MESSAGE_RULES)
  @IsDefined({ message: 'message is required' })
  message: string;
}
