import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';

export interface TextRules {
  min: number;
  max: number;
  /** Reject text made only of white space. */
  notBlank?: boolean;
}

const UNPAIRED_SURROGATE = /\p{Surrogate}/u;
const ONLY_WHITE_SPACE = /^\p{White_Space}*$/u;

export function codePointLength(text: string): number {
  let length = 0;
  for (const _ of text) length++;
  return length;
}

/** Why `value` breaks the text rules, or null when it keeps them. */
export function textProblem(field: string, value: unknown, rules: TextRules): string | null {
  if (typeof value !== 'string') return `${field} must be a string`;
  if (value.includes('\u0000') || UNPAIRED_SURROGATE.test(value)) {
    return `${field} must not contain NUL characters or unpaired surrogates`;
  }
  const length = codePointLength(value);
  if (length < rules.min || length > rules.max) {
    return rules.min === 0 ? `${field} must be at most ${rules.max} characters` : `${field} must be ${rules.min} to ${rules.max} characters`;
  }
  if (rules.notBlank && ONLY_WHITE_SPACE.test(value)) {
    return `${field} must not be only white space`;
  }
  return null;
}

/** A string counted in Unicode code points, free of NUL and lone surrogates. */
export function IsText(rules: TextRules, options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isText',
      target: object.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) => textProblem(propertyName, value, rules) === null,
        defaultMessage: (args: ValidationArguments) => textProblem(args.property, args.value, rules) ?? '',
      },
    });
}
