// Options several commands share: --param k=v (repeatable) and opening the engine on
// the --home the user gave.
import type { Command } from 'commander';
import { Engine } from '../../engine.ts';

export function collectParam(value: string, previous: Record<string, string>): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new Error(`--param ${value}: write it as name=value`);
  return { ...previous, [value.slice(0, eq).trim()]: value.slice(eq + 1) };
}

export function openEngine(cmd: Command, extra: { python?: string } = {}): Promise<Engine> {
  const home = cmd.optsWithGlobals().home as string | undefined;
  return Engine.open({ home, python: extra.python });
}
