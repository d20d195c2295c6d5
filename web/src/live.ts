import { base } from './store-base';
import { session, type Role } from './session';

export interface LiveEvent {
  type: string;
  data: Record<string, unknown>;
}

/**
 * Server-sent events from /api/events read with fetch() (EventSource cannot send the bearer
 * header). Reconnects after a drop; `stop()` ends it. Callers also refetch on reconnect, so an
 * event missed while disconnected is never lost for good.
 */
export function subscribeLive(
  role: Role,
  onEvent: (e: LiveEvent) => void,
  onOpen?: () => void,
  onDown?: () => void,
): () => void {
  const controller = new AbortController();
  let stopped = false;
  const run = async () => {
    while (!stopped) {
      try {
        const token = session.tokens(role)?.accessToken;
        if (!token) return;
        const res = await fetch(`${base.apiBase}/api/events`, {
          headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
          signal: controller.signal,
        });
        if (!res.ok || !res.body) throw new Error(`events ${res.status}`);
        onOpen?.();
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let cut: number;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            const type = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (type && data) onEvent({ type, data: JSON.parse(data) as Record<string, unknown> });
          }
        }
      } catch {
        if (stopped) return;
      }
      onDown?.();
      await new Promise((r) => setTimeout(r, 3000));
    }
  };
  void run();
  return () => {
    stopped = true;
    controller.abort();
  };
}
