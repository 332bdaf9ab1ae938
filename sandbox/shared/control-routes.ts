// The control API over HTTP (for a developer's shell or another process): POST /_sandbox/<action>
// with a JSON array of arguments calls control.<action>(...args) and answers its result.
import { Hono } from 'hono';

export function controlRoutes(control: object, actions: readonly string[]): Hono {
  const app = new Hono();
  app.post('/_sandbox/:action', async (c) => {
    const action = c.req.param('action');
    if (!actions.includes(action)) return c.json({ error: `unknown action ${action}; known: ${actions.join(', ')}` }, 404);
    const text = await c.req.text();
    const args: unknown = text ? JSON.parse(text) : [];
    const method = (control as Record<string, (...a: unknown[]) => unknown>)[action]!;
    const result = await method.apply(control, Array.isArray(args) ? args : [args]);
    return c.json({ result: result ?? null });
  });
  return app;
}
