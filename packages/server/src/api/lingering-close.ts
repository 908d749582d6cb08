import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';

/** How long a refused request's connection is still read after its answer, at most. */
export const LINGER_MS = 2_000;
/** How much of a refused body is read and thrown away after the answer, at most. */
export const LINGER_BYTES = 8 * 1024 * 1024;

/**
 * A lingering close for a connection whose request is refused before its body was read (413 and
 * the other body-parser refusals, answered with `Connection: close`).
 *
 * Node ends such a connection with `socket.destroySoon()`: FIN after the answer, then close(2) as
 * soon as the answer is in the kernel. Closing a socket with unread bytes in its receive queue
 * makes Linux send RST at once, which drops the answer if it is still in the send queue, and a
 * client still writing its body gets ECONNRESET/EPIPE before it reads the answer: it sees the
 * connection fail instead of the 413. So here the answer is followed by FIN (half-close), and what
 * the client still sends is read and thrown away until it closes its side, or for LINGER_MS or
 * LINGER_BYTES, whichever comes first; nothing is kept, and a client cannot hold the socket longer.
 */
export function lingerOnClose(socket: Socket, body: Readable, limits = { ms: LINGER_MS, bytes: LINGER_BYTES }): void {
  // Node's HTTP server calls destroySoon() once the answer is finished, after it has resumed the
  // unread body (req._dump), so the parser keeps taking the client's bytes off the wire.
  socket.destroySoon = () => {
    if (socket.writable) socket.end();
    const timer = setTimeout(() => socket.destroy(), limits.ms).unref();
    let discarded = 0;
    const discard = (chunk: Buffer) => {
      discarded += chunk.length;
      if (discarded > limits.bytes) socket.destroy();
    };
    body.on('data', discard);
    body.resume();
    // When the client closes its side, Node closes ours (the body is never complete: a parse error
    // at EOF destroys the socket); either way the linger ends with the socket.
    socket.once('close', () => {
      clearTimeout(timer);
      body.off('data', discard);
    });
  };
}
