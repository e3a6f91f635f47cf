// The OpenAPI 3.1 description of the endpoints a key may read: one path per served
// output, its columns as filter parameters (typed as JSON Schema from the DuckDB types),
// the paging parameters, the three formats, and the error shape.
import type { ColumnInfo } from '../api/types.ts';

export interface DescribedOutput {
  workflow: string;
  slug: string;
  output: string;
  columns: ColumnInfo[];
}

function schemaOf(type: string): Record<string, unknown> {
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)$/.test(type)) return { type: 'integer' };
  if (/^(FLOAT|DOUBLE|REAL|DECIMAL.*)$/.test(type)) return { type: 'number' };
  if (type === 'BOOLEAN') return { type: 'boolean' };
  if (type === 'DATE') return { type: 'string', format: 'date' };
  if (/^TIMESTAMP/.test(type)) return { type: 'string', format: 'date-time' };
  return { type: 'string' };
}

const ERROR = { description: 'an error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };

export function openApi(outputs: DescribedOutput[], serverUrl: string): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const o of outputs) {
    const row = { type: 'object', properties: Object.fromEntries(o.columns.map((c) => [c.name, { ...schemaOf(c.type), description: c.type }])) };
    paths[`/api/v1/outputs/${o.slug}/${o.output}`] = {
      get: {
        operationId: `${o.slug.replace(/-/g, '_')}__${o.output}`,
        summary: `${o.output} of ${o.workflow} (its newest published version)`,
        parameters: [
          ...o.columns.map((c) => ({ name: c.name, in: 'query', required: false, description: `rows whose ${c.name} equals this (repeat for any of several)`, schema: schemaOf(c.type) })),
          { name: 'format', in: 'query', schema: { type: 'string', enum: ['json', 'csv', 'parquet'] }, description: 'or the Accept header' },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 0 }, description: 'rows per page (JSON: default 100, at most 10000; CSV and Parquet: all)' },
          { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0 } },
          { name: 'columns', in: 'query', schema: { type: 'string' }, description: 'comma-separated columns to return' },
          { name: 'If-None-Match', in: 'header', schema: { type: 'string' } },
        ],
        responses: {
          200: {
            description: 'the rows',
            headers: { ETag: { schema: { type: 'string' } } },
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    workflow: { type: 'string' }, output: { type: 'string' }, run: { type: 'object', properties: { id: { type: 'string' }, finishedAt: { type: 'integer' } } },
                    columns: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, type: { type: 'string' } } } },
                    rows: { type: 'array', items: row }, total: { type: 'integer' }, limit: { type: 'integer' }, offset: { type: 'integer' }, next: { type: ['string', 'null'] },
                  },
                },
              },
              'text/csv': { schema: { type: 'string' } },
              'application/vnd.apache.parquet': { schema: { type: 'string', format: 'binary' } },
            },
          },
          304: { description: 'not modified since the ETag given' },
          400: ERROR,
          401: ERROR,
          403: ERROR,
          404: ERROR,
        },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Aqueduct outputs', version: '1', description: 'Read-only outputs of Aqueduct workflows: the newest version of each, as JSON, CSV or Parquet.' },
    servers: [{ url: serverUrl }],
    security: [{ endpointKey: [] }],
    components: {
      securitySchemes: { endpointKey: { type: 'http', scheme: 'bearer', description: 'an endpoint key (aqk_…), never the admin token; also accepted as X-API-Key' } },
      schemas: { Error: { type: 'object', required: ['error'], properties: { error: { type: 'string' } } } },
    },
    paths,
  };
}
