// Options several commands share: --param k=v (repeatable), numbers checked once for
// every command (a bad value is commander's "argument … is invalid" sentence and exit 2,
// never a database's "datatype mismatch"), and opening the engine on the --home given.
import { InvalidArgumentError, type Command } from 'commander';
import { Engine } from '../../engine.ts';

export function collectParam(value: string, previous: Record<string, string>): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError(`write it as name=value, e.g. --param since=2024-01-01`);
  return { ...previous, [value.slice(0, eq).trim()]: value.slice(eq + 1) };
}

/** A parser for a whole-number option within [min, max]. */
export function wholeNumber(flag: string, min: number, max?: number, example?: number): (v: string) => number {
  return (v) => {
    const n = /^\s*[+-]?\d+\s*$/.test(v) ? Number(v) : NaN;
    if (!Number.isSafeInteger(n) || n < min || (max !== undefined && n > max)) {
      const range = max === undefined ? `of ${min} or more` : `from ${min} to ${max}`;
      throw new InvalidArgumentError(`${flag} must be a whole number ${range}${example === undefined ? '' : `, e.g. ${flag} ${example}`}`);
    }
    return n;
  };
}

/** A parser for a duration option in seconds (fractions allowed), above 0. */
export function positiveSeconds(flag: string, example: number): (v: string) => number {
  return (v) => {
    const n = /^\s*\d*\.?\d+\s*$/.test(v) ? Number(v) : NaN;
    if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${flag} must be a number of seconds above 0, e.g. ${flag} ${example}`);
    return n;
  };
}

export function openEngine(cmd: Command, extra: { python?: string } = {}): Promise<Engine> {
  const home = cmd.optsWithGlobals().home as string | undefined;
  return Engine.open({ home, python: extra.python });
}
