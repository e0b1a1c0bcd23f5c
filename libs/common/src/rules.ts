import { isEmail, registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';
import { TextRules } from './text.validator';

/**
 * The rules of the contract's data, each defined once: the API's DTOs and the CSV importers
 * both call these, so an import accepts exactly what the API accepts, with the same words.
 */
export const USERNAME_PATTERN = /^[A-Za-z0-9_]{1,30}$/;
export const RESERVED_USERNAME = 'me';
export const EMAIL_MAX_LENGTH = 254;
export const PASSWORD_RULES: TextRules = { min: 8, max: 128 };
export const BIO_RULES: TextRules = { min: 0, max: 160 };
export const MESSAGE_RULES: TextRules = { min: 1, max: 280, notBlank: true };

/** Why `value` is not a username (1 to 30 of A-Z a-z 0-9 _, not "me" in any case), or null. */
export function usernameProblem(value: unknown, field = 'username'): string | null {
  if (typeof value !== 'string') return `${field} must be a string`;
  if (!USERNAME_PATTERN.test(value)) return `${field} must be 1 to 30 of A-Z, a-z, 0-9 and _`;
  if (value.toLowerCase() === RESERVED_USERNAME) return `${field} "${RESERVED_USERNAME}" is reserved`;
  return null;
}

/** Why `value` is not an email address (syntax only, at most 254 characters), or null. */
export function emailProblem(value: unknown, field = 'email'): string | null {
  if (typeof value !== 'string') return `${field} must be a string`;
  if (value.length > EMAIL_MAX_LENGTH) return `${field} must be at most ${EMAIL_MAX_LENGTH} characters`;
  if (!isEmail(value, { allow_utf8_local_part: true })) return `${field} must be a valid address`;
  return null;
}

/** A class-validator decorator from one of the rules above; the rule's own words are the message. */
function fromRule(name: string, problem: (value: unknown, field: string) => string | null, options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name,
      target: object.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) => problem(value, propertyName) === null,
        defaultMessage: (args: ValidationArguments) => problem(args.value, args.property) ?? '',
      },
    });
}

export const IsUsername = (options?: ValidationOptions) => fromRule('isUsername', usernameProblem, options);
export const IsEmailAddress = (options?: ValidationOptions) => fromRule('isEmailAddress', emailProblem, options);
