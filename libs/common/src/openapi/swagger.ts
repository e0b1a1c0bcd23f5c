import type * as Swagger from '@nestjs/swagger';

/**
 * @nestjs/swagger, for what describes the API. Its decorators only write metadata that the
 * OpenAPI document reads, and the document is built by `npm run build` (scripts/openapi.ts),
 * not by a running service; so a service leaves the package out (4 MB of a timelines
 * replica's heap) and the decorators below do nothing there. What builds or serves the
 * document calls `describingApi()` first: the builder before it imports any controller.
 */
let swagger: typeof Swagger | undefined;

export function describingApi(): typeof Swagger {
  swagger ??= require('@nestjs/swagger') as typeof Swagger;
  return swagger;
}

const nothing = () => undefined;

/** The decorator `name` once the API is being described; until then one that does nothing. */
function documenting<K extends keyof typeof Swagger & `Api${string}`>(name: K): (typeof Swagger)[K] {
  return ((...options: unknown[]) => (swagger ? (swagger[name] as (...options: unknown[]) => unknown)(...options) : nothing)) as (typeof Swagger)[K];
}

export const ApiBasicAuth = documenting('ApiBasicAuth');
export const ApiBearerAuth = documenting('ApiBearerAuth');
export const ApiConsumes = documenting('ApiConsumes');
export const ApiHeader = documenting('ApiHeader');
export const ApiOkResponse = documenting('ApiOkResponse');
export const ApiOperation = documenting('ApiOperation');
export const ApiParam = documenting('ApiParam');
export const ApiProduces = documenting('ApiProduces');
export const ApiProperty = documenting('ApiProperty');
export const ApiPropertyOptional = documenting('ApiPropertyOptional');
export const ApiQuery = documenting('ApiQuery');
export const ApiResponse = documenting('ApiResponse');
export const ApiTags = documenting('ApiTags');
