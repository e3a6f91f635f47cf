// Entry of the desktop's runner process (an Electron utility process). The runner is
// TypeScript run through tsx, as on the command line, so this plain module registers tsx
// and loads the host.
import { register } from 'tsx/esm/api';

register();
await import('./host.ts');
