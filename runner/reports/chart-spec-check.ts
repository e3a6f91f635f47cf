// The mistakes people make in a Vega-Lite spec, found before vega-lite compiles it (whose
// own errors for them are internal, e.g. "Cannot read properties of undefined"): an
// unknown mark, an unknown encoding channel or type, and a field that is not a column of
// the chart's input. Composite specs (layer, concat, facet) are checked where they say
// mark and encoding.
const MARKS = ['arc', 'area', 'bar', 'image', 'line', 'point', 'rect', 'rule', 'text', 'tick', 'trail', 'circle', 'square', 'geoshape', 'boxplot', 'errorband', 'errorbar'];
const CHANNELS = [
  'x', 'y', 'x2', 'y2', 'xOffset', 'yOffset', 'color', 'fill', 'stroke', 'opacity', 'fillOpacity', 'strokeOpacity', 'strokeWidth', 'strokeDash', 'size', 'angle',
  'shape', 'text', 'tooltip', 'href', 'description', 'detail', 'key', 'order', 'facet', 'row', 'column', 'theta', 'theta2', 'radius', 'radius2',
  'latitude', 'longitude', 'latitude2', 'longitude2', 'url', 'xError', 'xError2', 'yError', 'yError2',
];
const TYPES = ['quantitative', 'nominal', 'ordinal', 'temporal', 'geojson'];

/** The first mistake found, as a sentence, or undefined. `columns`: the input's columns, when known. */
export function specMistake(spec: unknown, columns?: string[], at = ''): string | undefined {
  if (!spec || typeof spec !== 'object' || Array.isArray(spec)) return undefined;
  const s = spec as Record<string, unknown>;
  const where = at ? `${at}.` : '';
  if (s.mark !== undefined) {
    const mark = typeof s.mark === 'string' ? s.mark : (s.mark as { type?: unknown })?.type;
    if (typeof mark !== 'string' || !MARKS.includes(mark)) return `${where}mark ${JSON.stringify(mark)} is not a Vega-Lite mark (use one of ${MARKS.slice(0, 11).join(', ')})`;
  }
  if (s.encoding && typeof s.encoding === 'object') {
    for (const [channel, def] of Object.entries(s.encoding as Record<string, unknown>)) {
      if (!CHANNELS.includes(channel)) return `${where}encoding.${channel} is not an encoding channel (e.g. x, y, color, size, tooltip)`;
      for (const d of Array.isArray(def) ? def : [def]) {
        if (!d || typeof d !== 'object') continue;
        const { field, type } = d as { field?: unknown; type?: unknown };
        if (type !== undefined && (typeof type !== 'string' || !TYPES.includes(type))) return `${where}encoding.${channel}.type ${JSON.stringify(type)} is not one of ${TYPES.slice(0, 4).join(', ')}`;
        if (columns && typeof field === 'string' && !/[.[\]\\]/.test(field) && !columns.includes(field)) {
          return `${where}encoding.${channel}.field "${field}" is not a column of the chart's input (it has ${columns.join(', ')})`;
        }
      }
    }
  }
  for (const key of ['layer', 'hconcat', 'vconcat', 'concat']) {
    const list = s[key];
    if (!Array.isArray(list)) continue;
    for (const [i, part] of list.entries()) {
      const m = specMistake(part, columns, `${where}${key}[${i}]`);
      if (m) return m;
    }
  }
  if (s.spec) return specMistake(s.spec, columns, `${where}spec`);
  return undefined;
}
