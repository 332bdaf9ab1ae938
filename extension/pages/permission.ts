// Host permission for the API origin, asked for that one origin. Must be called straight from a
// click handler: Chrome only shows the prompt during a user gesture.
import { browser } from 'wxt/browser';
import { permissionPatternFor } from '../api-url.ts';

export function requestApiAccess(origin: string): Promise<boolean> {
  return browser.permissions.request({ origins: [permissionPatternFor(origin)] });
}
