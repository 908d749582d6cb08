/**
 * The body of one send thread (see send-threads.ts): an HttpSender of its own, fed batches of
 * requests by the main thread and answering with batches of results. Nothing else lives here:
 * the thread holds no delivery state, so losing it loses no data (its open requests are
 * reported failed and retried).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { HttpSender, noAnswer, type SendResult } from './http-sender.js';
import { SsrfGuard } from '../net/index.js';
import type { FromThread, SendThreadSettings, ToThread } from './send-threads.js';

const port = parentPort;
if (!port) throw new Error('send-thread.js runs only as a worker thread (see send-threads.ts)');

const settings = workerData as SendThreadSettings;
const sender = new HttpSender({ guard: new SsrfGuard({ allowNetworks: settings.allowNetworks }), connections: settings.connections });

/** send() reports failures as results; this covers a bug, so the main thread is never left waiting. */
function failed(err: unknown): SendResult {
  return noAnswer({ code: 'network_error', message: `send thread: ${(err as Error).message}` });
}

/** Results finished in this turn of the event loop, posted together. */
let results: [number, SendResult][] = [];
let posting = false;

function postResults(): void {
  posting = false;
  const batch = results;
  results = [];
  port!.postMessage({ kind: 'results', results: batch } satisfies FromThread);
}

port.on('message', (message: ToThread) => {
  switch (message.kind) {
    case 'send':
      for (const [id, request] of message.requests) {
        void sender
          .send(request)
          .catch(failed)
          .then((result) => {
            results.push([id, result]);
            // After this I/O phase: every answer read in it goes back in one message.
            if (!posting) {
              posting = true;
              setImmediate(postResults);
            }
          });
      }
      break;
    case 'close':
    case 'destroy':
      void (message.kind === 'close' ? sender.close() : sender.destroy()).finally(() => {
        if (results.length) postResults();
        port!.postMessage({ kind: 'closed' } satisfies FromThread);
      });
      break;
  }
});
