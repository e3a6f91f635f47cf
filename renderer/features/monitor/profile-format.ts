// A tiny line of numbers for the column profile's sparklines, placed in a width×height
// box (a flat series sits mid-height). Pure, so it is unit-tested.
export function sparkPath(values: number[], width: number, height: number, pad = 2): { line: string; last: { x: number; y: number } } {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const w = width - 2 * pad;
  const h = height - 2 * pad;
  const round = (n: number) => Math.round(n * 10) / 10;
  const pts = values.map((v, i) => ({
    x: round(pad + (values.length === 1 ? w / 2 : (i * w) / (values.length - 1))),
    y: round(hi === lo ? pad + h / 2 : pad + h - ((v - lo) / (hi - lo)) * h),
  }));
  return { line: pts.map((p) => `${p.x},${p.y}`).join(' '), last: pts[pts.length - 1]! };
}
