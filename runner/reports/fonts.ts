// The fonts reports are drawn with. PDF's built-in Helvetica knows only Western European
// letters, so a TrueType family of the system is used when one is found (DejaVu or
// Liberation on Linux, Arial on macOS and Windows): names like "Zoë" or "→" then print.
// Without one, the PDF falls back to Helvetica and replaces what it cannot draw.
import fs from 'node:fs';

export interface FontFamily {
  /** the family name, as SVG text asks for it */
  family: string;
  regular: string;
  bold: string;
  italic: string;
  mono?: string;
}

const CANDIDATES: FontFamily[] = [
  {
    family: 'DejaVu Sans',
    regular: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
    bold: '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
    italic: '/usr/share/fonts/truetype/dejavu/DejaVuSans-Oblique.ttf',
    mono: '/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf',
  },
  {
    family: 'Liberation Sans',
    regular: '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf',
    bold: '/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf',
    italic: '/usr/share/fonts/truetype/liberation/LiberationSans-Italic.ttf',
    mono: '/usr/share/fonts/truetype/liberation/LiberationMono-Regular.ttf',
  },
  {
    family: 'Arial',
    regular: '/System/Library/Fonts/Supplemental/Arial.ttf',
    bold: '/System/Library/Fonts/Supplemental/Arial Bold.ttf',
    italic: '/System/Library/Fonts/Supplemental/Arial Italic.ttf',
    mono: '/System/Library/Fonts/Supplemental/Courier New.ttf',
  },
  {
    family: 'Arial',
    regular: 'C:\\Windows\\Fonts\\arial.ttf',
    bold: 'C:\\Windows\\Fonts\\arialbd.ttf',
    italic: 'C:\\Windows\\Fonts\\ariali.ttf',
    mono: 'C:\\Windows\\Fonts\\cour.ttf',
  },
];

let found: FontFamily | null | undefined;

/** A complete system font family, or null when none is installed. */
export function systemFontFamily(): FontFamily | null {
  if (found === undefined) {
    const f = CANDIDATES.find((c) => [c.regular, c.bold, c.italic].every((p) => fs.existsSync(p)));
    found = f ? { ...f, mono: f.mono && fs.existsSync(f.mono) ? f.mono : undefined } : null;
  }
  return found;
}
