// Run-form values become typed overrides; bad input is caught per field.
import { describe, expect, it } from 'vitest';
import { toParams } from './param-values.ts';

const specs = {
  min_tenure_months: { type: 'integer', default: 0 },
  threshold: { type: 'number', default: 0.5 },
  label: { type: 'string' },
  strict: { type: 'boolean', default: false },
} as const;

describe('toParams', () => {
  it('sends only what differs from the defaults, typed', () => {
    expect(toParams(specs, { min_tenure_months: '0', threshold: '0.7', strict: true, label: 'x' })).toEqual({
      ok: true,
      params: { threshold: 0.7, strict: true, label: 'x' },
    });
  });
  it('reports bad numbers per field', () => {
    expect(toParams(specs, { min_tenure_months: '1.5', threshold: 'abc' })).toEqual({
      ok: false,
      errors: { min_tenure_months: 'enter a whole number', threshold: 'enter a number' },
    });
  });
});
