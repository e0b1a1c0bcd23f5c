import { RequestMethod, Type, UseInterceptors } from '@nestjs/common';
import { INTERCEPTORS_METADATA, METHOD_METADATA } from '@nestjs/common/constants';
import { IdempotencyInterceptor } from './idempotency.interceptor';

/**
 * Marks a POST route as taking `Idempotency-Key`. Per route rather than global, so a GET
 * pays nothing for it (an interceptor puts an rxjs pipeline around every call it wraps).
 */
export const Idempotent = () => UseInterceptors(IdempotencyInterceptor);

/** The POST handlers of `controllers` that lack @Idempotent(): the contract wants none. */
export function postRoutesWithoutIdempotency(controllers: Type[]): string[] {
  const missing: string[] = [];
  for (const controller of controllers) {
    for (const name of Object.getOwnPropertyNames(controller.prototype)) {
      const handler = controller.prototype[name] as object;
      if (name === 'constructor' || Reflect.getMetadata(METHOD_METADATA, handler) !== RequestMethod.POST) continue;
      const interceptors = (Reflect.getMetadata(INTERCEPTORS_METADATA, handler) ?? []) as unknown[];
      if (!interceptors.includes(IdempotencyInterceptor)) missing.push(`${controller.name}.${name}`);
    }
  }
  return missing;
}
