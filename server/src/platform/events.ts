import type { ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { BusEvent, EventBus } from './bus.js';

/** What one stream sends for a bus event: a named server-sent event, or nothing. */
export type StreamFilter = (event: BusEvent) => { event: string; data: unknown } | null;

export interface EventStreams {
  /** Turns the request into a server-sent event stream of the bus events `filter` lets through. */
  open(req: FastifyRequest, reply: FastifyReply, filter: StreamFilter): void;
  /** Ends every open stream, so a shutdown does not wait on them. */
  closeAll(): void;
}

/** Streams open in this process, all modules together (/metrics shows it). */
let streamsOpen = 0;
export const openEventStreamCount = (): number => streamsOpen;

/** A comment line now and then keeps proxies from closing an idle stream. */
const pingMs = 25_000;

/**
 * What one stream may hold unsent in this process (beyond the kernel's socket buffers). A
 * client that stops reading (a frozen tab, a dead link the kernel has not noticed) would
 * otherwise grow its buffer with every event; past this it is dropped, and a live
 * EventSource reconnects by itself.
 */
export const maxStreamBufferBytes = 1024 * 1024;
/** Streams dropped for not reading (since the process started). */
let streamsDropped = 0;
export const droppedEventStreamCount = (): number => streamsDropped;

/**
 * The platform's event stream (`text/event-stream`, WHATWG HTML §9.2): each open stream
 * hears the bus and sends what its filter — the module deciding what this user may see —
 * lets through.
 */
export function eventStreams(bus: EventBus): EventStreams {
  const open = new Set<ServerResponse>();
  return {
    open(req, reply, filter) {
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        // nginx would otherwise buffer the stream.
        'x-accel-buffering': 'no',
      });
      const send = (chunk: string) => {
        if (res.destroyed) return;
        if (res.writableLength + Buffer.byteLength(chunk) > maxStreamBufferBytes) {
          streamsDropped++;
          res.destroy();
          return;
        }
        res.write(chunk);
      };
      send('retry: 3000\n\n');
      const unsubscribe = bus.subscribe((e) => {
        const out = filter(e);
        if (out) send(`event: ${out.event}\ndata: ${JSON.stringify(out.data)}\n\n`);
      });
      const ping = setInterval(() => send(': ping\n\n'), pingMs);
      open.add(res);
      streamsOpen++;
      req.raw.on('close', () => {
        streamsOpen--;
        clearInterval(ping);
        unsubscribe();
        open.delete(res);
      });
    },
    closeAll() {
      for (const r of open) r.end();
    },
  };
}
