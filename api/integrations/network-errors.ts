// Failures below HTTP (a reset socket, a refused connection, a timeout, a body cut off mid-way)
// look alike from both client libraries: they are always worth another try.
const transientCodes = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ERR_STREAM_PREMATURE_CLOSE']);

export function isNetworkFailure(error: unknown): boolean {
  for (let e = error as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string' && transientCodes.has(e.code)) return true;
    if (e.name === 'AbortError' || e.name === 'TimeoutError') return true;
    // A body cut off half-way parses as broken JSON; fetch says "fetch failed" or "terminated".
    if (e instanceof SyntaxError) return true;
    if (typeof e.message === 'string' && /^(fetch failed|terminated|socket hang up|other side closed)$/i.test(e.message)) return true;
  }
  return false;
}
