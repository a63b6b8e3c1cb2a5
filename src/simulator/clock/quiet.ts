/**
 * When may simulated time move on? When the process has nothing to do but
 * wait for the clock. Seen from inside the process:
 *
 * - bytes in transit between an HTTP client and a server of this process
 *   (hooks → emulator, traffic → listeners → task sets): from the moment a
 *   client sends a request until the server starts handling it, and from the
 *   moment the server has sent its response until the client has its
 *   headers. Both ends are seen through Node's diagnostics channels
 *   (node:http and undici) and paired by the client's port. On a busy host
 *   loopback delivery can take milliseconds, so this cannot be guessed from
 *   a few idle event-loop turns;
 * - client sockets not yet carrying their first request, and pending one-shot requests (fs, DNS) as
 *   listed by process.getActiveResourcesInfo();
 * - then a few consecutive event-loop turns without any of the above
 *   happening, for what runs on in microtasks and ticks.
 *
 * A server holding a request while the application sleeps its simulated
 * latency is not work: letting time move on is what ends that sleep. A
 * request to a server outside this process is in transit until its answer
 * arrives (at most TRANSIT_LIMIT_MS of real time).
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { Socket } from 'node:net';

/** Resource types that are one-shot work in flight (the rest, sockets, servers, timers, are idle handles). */
const WORK_IN_FLIGHT = /^(FSReq|FileHandle|CloseReq|ConnectWrap|GetAddrInfoReqWrap|GetNameInfoReqWrap|QueryReqWrap|ShutdownWrap)/;

/** Consecutive quiet event-loop turns that make the process quiet. */
const QUIET_TURNS = 3;

/** A transit never matched by its other end (a peer outside this process, a dropped connection) stops counting after this. */
const TRANSIT_LIMIT_MS = 1000;

const realSetImmediate = globalThis.setImmediate;
const realSetTimeout = globalThis.setTimeout;
const realNow = performance.now.bind(performance);

type Message = { request?: { socket?: Socket | null; once?: (event: string, fn: (s: Socket) => void) => void }; socket?: Socket };

export class ActivityMonitor {
  private pulses = 0;
  /** Transits in progress ("req:port", "res:port") and when they started. */
  private readonly inTransit = new Map<string, number>();
  /** Arrivals seen before their departure (a response's headers can reach the client before the server's finish event). */
  private readonly early = new Map<string, number>();
  /** Client sockets from creation until their first request leaves (or they fail), and since when. */
  private readonly connecting = new Map<Socket, number>();
  private readonly undiciSockets = new WeakMap<object, Socket>();
  private readonly handlers: [string, (m: unknown) => void][] = [
    ['net.client.socket', (m) => this.onSocket((m as Message).socket)],
    ['http.client.request.start', (m) => this.onClientRequest(m as Message)],
    ['http.client.request.error', (m) => this.clear(`req:${(m as Message).request?.socket?.localPort}`)],
    ['http.client.response.finish', (m) => this.arrived(`res:${(m as Message).request?.socket?.localPort}`)],
    ['http.server.request.start', (m) => this.arrived(`req:${(m as Message).socket?.remotePort}`)],
    ['http.server.response.finish', (m) => this.departed(`res:${(m as Message).socket?.remotePort}`)],
    ['undici:client:sendHeaders', (m) => this.onUndiciSend(m as { request: object; socket: Socket })],
    ['undici:request:headers', (m) => this.arrived(`res:${this.undiciSockets.get((m as { request: object }).request)?.localPort}`)],
    ['undici:request:error', (m) => this.clear(`req:${this.undiciSockets.get((m as { request: object }).request)?.localPort}`)],
    ['undici:request:create', () => this.pulse()],
    ['undici:request:trailers', () => this.pulse()],
  ];

  /** MessagePorts active when the clock started (a test runner's own channel is always there). */
  private basePorts = 0;

  start(): void {
    this.basePorts = countPorts();
    for (const [name, fn] of this.handlers) subscribe(name, fn);
  }

  stop(): void {
    for (const [name, fn] of this.handlers) unsubscribe(name, fn);
  }

  /** Counts something that happened (a timer fired, a request moved). */
  pulse(): void {
    this.pulses++;
  }

  /**
   * Resolves when the process is quiet, or after `maxBusyMs` of real time
   * without a quiet moment (a loop that never waits must not freeze the
   * clock forever: its own timeout has to come).
   */
  async quiet(maxBusyMs: number): Promise<void> {
    const giveUpAt = realNow() + maxBusyMs;
    let quietTurns = 0;
    let seen = this.pulses;
    while (quietTurns < QUIET_TURNS && realNow() < giveUpAt) {
      if (this.busy()) {
        // Waiting for the kernel or a thread: sleep a little rather than spin.
        await new Promise<void>((resolve) => realSetTimeout(resolve, 1));
        quietTurns = 0;
        seen = this.pulses;
        continue;
      }
      await new Promise<void>((resolve) => realSetImmediate(resolve));
      if (this.pulses !== seen || this.busy()) {
        seen = this.pulses;
        quietTurns = 0;
      } else {
        quietTurns++;
      }
    }
  }

  private busy(): boolean {
    const now = realNow();
    for (const [socket, since] of this.connecting) if (now - since > TRANSIT_LIMIT_MS) this.connecting.delete(socket);
    if (this.connecting.size > 0) return true;
    for (const [key, since] of this.inTransit) if (now - since > TRANSIT_LIMIT_MS) this.inTransit.delete(key);
    for (const [key, since] of this.early) if (now - since > TRANSIT_LIMIT_MS) this.early.delete(key);
    if (this.inTransit.size > 0) return true;
    const active = process.getActiveResourcesInfo();
    return active.some((type) => WORK_IN_FLIGHT.test(type)) || countPorts(active) > this.basePorts;
  }

  private departed(key: string): void {
    this.pulse();
    if (this.early.delete(key)) return;
    this.inTransit.set(key, realNow());
  }

  private arrived(key: string): void {
    this.pulse();
    if (!this.inTransit.delete(key)) this.early.set(key, realNow());
  }

  private clear(key: string): void {
    this.pulse();
    this.inTransit.delete(key);
  }

  private onSocket(socket: Socket | undefined): void {
    this.pulse();
    // Published by net.connect() before it starts connecting. The socket counts until its first request
    // leaves: the client's steps from 'connect' to writing take several event-loop turns.
    if (!socket) return;
    this.connecting.set(socket, realNow());
    const done = (): void => {
      this.connecting.delete(socket);
      this.pulse();
    };
    socket.once('error', done);
    socket.once('close', done);
  }

  /** A node:http request leaves once its socket is connected. */
  private onClientRequest(m: Message): void {
    this.pulse();
    const send = (socket: Socket): void => {
      if (socket.connecting) socket.once('connect', () => send(socket));
      else {
        this.connecting.delete(socket);
        this.departed(`req:${socket.localPort}`);
      }
    };
    if (m.request?.socket) send(m.request.socket);
    else m.request?.once?.('socket', send);
  }

  private onUndiciSend(m: { request: object; socket: Socket }): void {
    this.undiciSockets.set(m.request, m.socket);
    this.connecting.delete(m.socket);
    this.departed(`req:${m.socket.localPort}`);
  }
}

function countPorts(active = process.getActiveResourcesInfo()): number {
  return active.filter((type) => type === 'MessagePort').length;
}
