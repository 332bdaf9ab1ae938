// How hosts put the sidebar on a page: into a shadow root or a plain element (the Gmail extension
// mounts it in its own framed extension page; the demo inbox in a plain element).
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Sidebar, type SidebarProps } from './sidebar.tsx';
import { sidebarCss } from './styles.ts';

/** Renders the sidebar with its own styles into `element`; returns the function that removes it. */
export function mountSidebar(element: HTMLElement | ShadowRoot, props: SidebarProps): () => void {
  const doc = element.ownerDocument;
  const style = doc.createElement('style');
  style.textContent = sidebarCss;
  const container = doc.createElement('div');
  element.append(style, container);
  const root = createRoot(container);
  root.render(
    <StrictMode>
      <Sidebar {...props} />
    </StrictMode>,
  );
  return () => {
    root.unmount();
    container.remove();
    style.remove();
  };
}
