// Charts declared as Vega-Lite specs, rendered in Node without a browser: vega-lite
// compiles the spec, vega lays it out and writes SVG (headless, renderer "none"), and
// resvg turns the SVG into a PNG for email and Slack. Specs come from workflow files,
// which may come from others: expressions run in vega's interpreter (no code generation)
// and the loader refuses every URL and file, so a chart only ever sees the rows it is given.
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { expressionInterpreter } from 'vega-interpreter';
import * as vl from 'vega-lite';
import { specMistake } from './chart-spec-check.ts';
import { systemFontFamily } from './fonts.ts';

export class ChartError extends Error {}

export interface RenderedChart {
  svg: string;
  png: Buffer;
  /** size in CSS pixels (the PNG has twice as many) */
  width: number;
  height: number;
}

const NO_LOADING = {
  load: () => Promise.reject(new ChartError('a chart cannot load data from a URL or file; its rows come from input:')),
  sanitize: () => Promise.reject(new ChartError('a chart cannot load data from a URL or file; its rows come from input:')),
  http: () => Promise.reject(new ChartError('a chart cannot load from the network')),
  file: () => Promise.reject(new ChartError('a chart cannot read files')),
};

/** Renders `spec` with `rows` as its data (the spec's own inline data if rows is undefined); `columns` of the rows, to check field names. */
export async function renderVegaLite(spec: Record<string, unknown>, rows: Record<string, unknown>[] | undefined, columns?: string[]): Promise<RenderedChart> {
  const mistake = specMistake(spec, columns);
  if (mistake) throw new ChartError(mistake);
  const full: Record<string, unknown> = {
    width: 560,
    height: 280,
    ...spec,
    ...(rows ? { data: { values: rows } } : {}),
    background: 'white',
    config: { font: systemFontFamily()?.family ?? 'sans-serif', ...(spec.config as object | undefined) },
  };
  let compiled: vega.Spec;
  try {
    compiled = vl.compile(full as unknown as vl.TopLevelSpec).spec;
  } catch (e) {
    throw new ChartError(`vega-lite could not compile the spec (${firstLine(e)})`);
  }
  let view: vega.View | undefined;
  try {
    view = new vega.View(vega.parse(compiled, undefined, { ast: true }), {
      renderer: 'none',
      expr: expressionInterpreter,
      loader: NO_LOADING as unknown as vega.Loader,
      logLevel: vega.None,
    });
    const svg = await view.toSVG();
    const { width, height } = svgSize(svg);
    return { svg, png: svgToPng(svg), width, height };
  } catch (e) {
    if (e instanceof ChartError) throw e;
    throw new ChartError(`the chart could not be drawn: ${firstLine(e)}`);
  } finally {
    view?.finalize();
  }
}

/** A PNG at twice the SVG's size, text set in the system font family. */
export function svgToPng(svg: string): Buffer {
  const font = systemFontFamily();
  const r = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: 2 },
    background: 'white',
    font: font
      ? { loadSystemFonts: false, fontFiles: [font.regular, font.bold, font.italic], defaultFontFamily: font.family, sansSerifFamily: font.family }
      : { loadSystemFonts: true },
  });
  return r.render().asPng();
}

function svgSize(svg: string): { width: number; height: number } {
  const w = /<svg[^>]*\swidth="([\d.]+)"/.exec(svg);
  const h = /<svg[^>]*\sheight="([\d.]+)"/.exec(svg);
  return { width: Math.round(Number(w?.[1] ?? 600)), height: Math.round(Number(h?.[1] ?? 300)) };
}

function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split('\n')[0]!;
}
