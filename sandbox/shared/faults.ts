// Faults a test asks a stand-in to inject: each matches requests by method and path, waits `after`
// matching requests, then fires `times` times (default once).
export interface FaultMatch {
  method?: string;
  /** Tested against the path and query string: a substring or a RegExp. */
  path?: string | RegExp;
}

interface FaultCommon {
  match?: FaultMatch;
  times?: number;
  after?: number;
}

export type Fault = FaultCommon &
  (
    | { kind: 'status'; status: number }
    /** Hold the request `ms` (default 30 s), then drop the connection without an answer. */
    | { kind: 'timeout'; ms?: number }
    /** Destroy the socket before answering. */
    | { kind: 'reset' }
    /** Send the status line, headers and half the body, then destroy the socket. */
    | { kind: 'resetMidBody' }
    /** Run before the request is handled (e.g. delete a record between two pages). */
    | { kind: 'hook'; run: () => void }
  );

interface Armed { id: string; fault: Fault; skip: number; left: number }

export class FaultBook {
  #armed: Armed[] = [];
  #next = 1;

  add(fault: Fault): string {
    const id = `fault-${this.#next++}`;
    this.#armed.push({ id, fault, skip: fault.after ?? 0, left: fault.times ?? 1 });
    return id;
  }

  clear(): void {
    this.#armed = [];
  }

  list(): Array<{ id: string; kind: Fault['kind']; left: number }> {
    return this.#armed.map((a) => ({ id: a.id, kind: a.fault.kind, left: a.left }));
  }

  /** The fault that fires for this request, if any (consumes one of its `times`). */
  take(method: string, pathAndQuery: string, accept: (fault: Fault) => boolean = () => true): Fault | null {
    for (const armed of this.#armed) {
      const { match } = armed.fault;
      if (!accept(armed.fault)) continue;
      if (match?.method && match.method.toUpperCase() !== method.toUpperCase()) continue;
      if (match?.path !== undefined && !(typeof match.path === 'string' ? pathAndQuery.includes(match.path) : match.path.test(pathAndQuery))) continue;
      if (armed.skip > 0) {
        armed.skip--;
        continue;
      }
      armed.left--;
      if (armed.left <= 0) this.#armed = this.#armed.filter((a) => a !== armed);
      return armed.fault;
    }
    return null;
  }
}
