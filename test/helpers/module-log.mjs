// Loaded with `node --import` in front of a program: appends every package file the
// process loads (ES imports through a resolve hook, CommonJS through Module._load) to the
// file named by AQUEDUCT_MODULE_LOG, one path a line, so a test can tell which drivers
// a command touched.
import fs from 'node:fs';
import Module, { register } from 'node:module';

const log = process.env.AQUEDUCT_MODULE_LOG;
if (log) {
  register(
    'data:text/javascript,' +
      encodeURIComponent(`
        import fs from 'node:fs';
        export async function resolve(specifier, context, next) {
          const r = await next(specifier, context);
          if (r.url.includes('/node_modules/')) fs.appendFileSync(${JSON.stringify(log)}, r.url + '\\n');
          return r;
        }`),
  );
  const load = Module._load;
  Module._load = function (request, parent, isMain) {
    const loaded = load.apply(this, arguments);
    try {
      const file = Module._resolveFilename(request, parent, isMain);
      if (file.includes('/node_modules/')) fs.appendFileSync(log, `${file}\n`);
    } catch {
      // a built-in module
    }
    return loaded;
  };
}
