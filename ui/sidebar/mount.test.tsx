// @vitest-environment happy-dom
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { expect, it } from 'vitest';
import { createMemoryStore } from './cache.ts';
import { mountSidebar } from './mount.tsx';
import { sidebarCss } from './styles.ts';
import { FakeCrm, FakeHost } from './test-fakes.ts';
import { NOW, setup } from './test-render.tsx';

it('mounts into a shadow root with its own styles, and the returned function removes it', async () => {
  const hostElement = document.createElement('div');
  document.body.append(hostElement);
  const shadow = hostElement.attachShadow({ mode: 'open' });
  let unmount: () => void = () => {};
  await act(async () => {
    unmount = mountSidebar(shadow, { host: new FakeHost(), api: new FakeCrm(), store: createMemoryStore() });
  });
  expect(shadow.querySelector('style')?.textContent).toBe(sidebarCss);
  expect(within(shadow as unknown as HTMLElement).getByText('Open an email thread to see who is on it.')).toBeTruthy();
  // Nothing leaks into the page around it.
  expect(screen.queryByText('Open an email thread to see who is on it.')).toBeNull();
  act(() => unmount());
  expect(shadow.childNodes).toHaveLength(0);
  hostElement.remove();
});

it('under StrictMode (effects run twice in development) a thread loads once and each email is logged once', async () => {
  const { crm, host, store, world } = setup();
  host.open(world.thread);
  const element = document.createElement('div');
  document.body.append(element);
  let unmount: () => void = () => {};
  await act(async () => {
    unmount = mountSidebar(element, { host, api: crm, store, now: NOW, locale: 'en-US' });
  });
  expect(await within(element).findByRole('article', { name: 'Contact Ann Lee' })).toBeTruthy();
  await waitFor(() => expect(crm.callsOf('logEmail')).toHaveLength(2));
  fireEvent.click(within(element).getByRole('button', { name: 'Complete task: Send contract' }));
  await waitFor(() => expect(crm.callsOf('completeTask')).toHaveLength(1));
  await waitFor(() => expect(within(element).queryByText('Saving 1 change…')).toBeNull());
  expect(crm.callsOf('logEmail')).toHaveLength(2);
  expect(crm.callsOf('completeTask')).toHaveLength(1);
  act(() => unmount());
  element.remove();
});
