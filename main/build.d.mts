// Types of build.mjs (run by node directly, so it is plain JavaScript).
export function buildMain(o?: { quiet?: boolean }): Promise<void>;
export function buildRunnerHost(o?: { quiet?: boolean; outfile?: string }): Promise<void>;
export function buildCli(o?: { quiet?: boolean }): Promise<void>;
export function ensureCli(o?: { quiet?: boolean }): Promise<void>;
