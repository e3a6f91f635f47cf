// Test helper: runs host.ts (or, with AQUEDUCT_HOST_MODULE, the bundled runner-host.mjs,
// then without tsx) under plain Node (Electron cannot run here) with a stand-in for
// Electron's process.parentPort. stdin lines are JSON commands ({connect: true} hands
// over a port; {secretKey: base64 | null} hands over the secret key as the shell does;
// {call: request} sends an API request on it; {shutdown: true}); everything
// the host or the port says comes out on stdout as one JSON line each.
import { EventEmitter } from 'node:events';
import readline from 'node:readline';
import { pathToFileURL } from 'node:url';
import { MessageChannel } from 'node:worker_threads';

const hostModule = process.env.AQUEDUCT_HOST_MODULE;
if (!hostModule) (await import('tsx/esm/api')).register();
const say = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const parent = new EventEmitter();
parent.postMessage = (m) => say({ host: m });
process.parentPort = parent;
// like Electron's parentPort, hold messages until the host listens (it loads after stdin may speak)
const pending = [];
const toHost = (m) => (parent.listenerCount('message') ? parent.emit('message', m) : pending.push(m));
parent.on('newListener', (event) => {
  if (event === 'message') queueMicrotask(() => pending.splice(0).forEach((m) => parent.emit('message', m)));
});

// MessagePortMain emits { data, ports }; a Node port emits the data itself
const asMainPort = (port) => ({
  postMessage: (m) => port.postMessage(m),
  on: (event, l) => port.on(event, event === 'message' ? (data) => l({ data, ports: [] }) : l),
  start: () => port.start(),
});

let client;
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const cmd = JSON.parse(line);
  if (cmd.connect) {
    const { port1, port2 } = new MessageChannel();
    client = port2;
    client.on('message', (m) => say({ port: m }));
    toHost({ data: { type: 'connect' }, ports: [asMainPort(port1)] });
  } else if ('secretKey' in cmd) {
    toHost({ data: { type: 'secret-key', key: cmd.secretKey }, ports: [] });
  } else if (cmd.call) {
    client.postMessage(cmd.call);
  } else if (cmd.shutdown) {
    toHost({ data: { type: 'shutdown' }, ports: [] });
  }
});

await import(hostModule ? pathToFileURL(hostModule).href : './host.ts');
