import { INestApplication } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import { existsSync, readFileSync } from 'node:fs';
import { describingApi } from './swagger';

/** What is not part of the public API: each service's own health, metrics and service-to-service routes. */
const PRIVATE_PATHS = /^\/(health|metrics|internal)(\/|$)/;

/** One service's part of the OpenAPI document, from its routes, DTOs and response decorators. */
export function describeApi(app: INestApplication, service: string): OpenAPIObject {
  const { DocumentBuilder, SwaggerModule } = describingApi();
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle(`microblog ${service}`)
    .setVersion('2')
    .addBasicAuth({ type: 'http', scheme: 'basic', description: 'RFC 7617; the password may contain ":"' }, 'basic')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'from POST /auth/token, valid for an hour' }, 'bearer')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  for (const path of Object.keys(document.paths)) if (PRIVATE_PATHS.test(path)) delete document.paths[path];
  return document;
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** One document for the whole API on port 80, from every service's part. */
export function mergeApiDocuments(parts: OpenAPIObject[]): OpenAPIObject {
  const [first] = parts;
  const merged: OpenAPIObject = {
    ...first,
    info: {
      title: 'microblog',
      version: '2',
      license: { name: 'MIT', url: 'https://opensource.org/license/mit' },
      description:
        'A Twitter-style microblogging API: users, timelines and the monitor behind one HAProxy on port 80. ' +
        'Errors are RFC 9457 problem details; lists are paged with limit and cursor. The rules are in docs/api.md.',
    },
    servers: [{ url: '/', description: 'this host, through HAProxy' }],
    paths: {},
    components: { ...first.components, schemas: {} },
  };
  for (const part of parts) {
    for (const [path, item] of Object.entries(part.paths)) {
      if (merged.paths[path]) throw new Error(`two services describe ${path}`);
      merged.paths[path] = item;
    }
    Object.assign(merged.components!.schemas!, part.components?.schemas ?? {});
  }
  // An operation without credentials says so (`security: []`), so that no reader (or linter)
  // takes a missing list for one forgotten.
  for (const item of Object.values(merged.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (operation && !operation.security) operation.security = [];
    }
  }
  return merged;
}

/**
 * Serves the merged document (made by `npm run build`) at /openapi.json and the browsable
 * reference at /docs (Swagger UI, its assets served from this process: no internet needed).
 */
export function serveApiReference(app: INestApplication, file: string): boolean {
  if (!existsSync(file)) return false;
  const document = JSON.parse(readFileSync(file, 'utf8')) as OpenAPIObject;
  describingApi().SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'openapi.json',
    yamlDocumentUrl: 'openapi.yaml',
    customSiteTitle: 'microblog API',
    swaggerOptions: { persistAuthorization: true, tryItOutEnabled: true },
  });
  return true;
}
