// The reading options of a source as the form edits them.
import { describe, expect, it } from 'vitest';
import { PANDAS_NULL_VALUES as RUNNER_DEFAULTS } from '../../../runner/exec/kinds/source-reader.ts';
import { markersText, nullValuesFor, PANDAS_NULL_VALUES, parseMarkers, relativeToFolder, resolvedPath } from './source-options.ts';

describe('source options in the form', () => {
  it('uses the same default null markers as the runner', () => {
    expect(PANDAS_NULL_VALUES).toEqual(RUNNER_DEFAULTS);
  });

  it('stores null markers only when they differ from pandas’ defaults', () => {
    const shown = parseMarkers(markersText(PANDAS_NULL_VALUES));
    expect(nullValuesFor(true, shown)).toBeUndefined();
    expect(nullValuesFor(true, [...shown].reverse())).toBeUndefined();
    expect(nullValuesFor(false, shown)).toEqual(shown);
    expect(nullValuesFor(true, ['NA', '-'])).toEqual(['', 'NA', '-']);
  });

  it('reads markers typed with commas and spaces', () => {
    expect(parseMarkers(' NA, -,, NA , n/a')).toEqual(['NA', '-', 'n/a']);
  });

  it('says where a relative path is read from, and makes a chosen path relative', () => {
    expect(resolvedPath('/home/me/houses', 'data/train.csv')).toBe('/home/me/houses/data/train.csv');
    expect(resolvedPath('/home/me/houses/', '/srv/shared/train.csv')).toBe('/srv/shared/train.csv');
    expect(resolvedPath('C:\\work\\houses', 'data\\train.csv')).toBe('C:\\work\\houses\\data\\train.csv');
    expect(relativeToFolder('/home/me/houses', '/home/me/houses/data/train.csv')).toBe('data/train.csv');
    expect(relativeToFolder('/home/me/houses', '/home/me/houses-old/train.csv')).toBe('/home/me/houses-old/train.csv');
  });
});
