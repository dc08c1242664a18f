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

/** A comment line now and then keeps proxies from closing an idle stream. */
const pingMs = 25_000;

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
      res.write('retry: 3000\n\n');
      const unsubscribe = bus.subscribe((e) => {
        const out = filter(e);
        if (out) res.write(`event: ${out.event}\ndata: ${JSON.stringify(out.data)}\n\n`);
      });
      const ping = setInterval(() => res.write(': ping\n\n'), pingMs);
      open.add(res);
      req.raw.on('close', () => {
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
