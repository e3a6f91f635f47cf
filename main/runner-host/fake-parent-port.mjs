// Test helper: runs host.ts under plain Node (Electron cannot run here) with a stand-in
// for Electron's process.parentPort. stdin lines are JSON commands ({connect: true} hands
// over a port; {call: request} sends an API request on it; {shutdown: true}); everything
// the host or the port says comes out on stdout as one JSON line each.
import { EventEmitter } from 'node:events';
import readline from 'node:readline';
import { MessageChannel } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const say = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const parent = new EventEmitter();
parent.postMessage = (m) => say({ host: m });
process.parentPort = parent;

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
    parent.emit('message', { data: { type: 'connect' }, ports: [asMainPort(port1)] });
  } else if (cmd.call) {
    client.postMessage(cmd.call);
  } else if (cmd.shutdown) {
    parent.emit('message', { data: { type: 'shutdown' }, ports: [] });
  }
});

await import('./host.ts');
