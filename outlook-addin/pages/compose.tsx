// Entry of the compose task pane (compose.html).
import { createRoot } from 'react-dom/client';
import { addinLocalStorage, memoryTextStore } from '../office/addin-storage.ts';
import { isComposeMessage } from '../office/office-api.ts';
import { apiBaseFrom, officeReady } from '../office/office-ready.ts';
import { ComposePane } from '../pane/compose-pane.tsx';
import { OutsideOutlook } from '../pane/task-pane.tsx';
import './pane.css';

const root = createRoot(document.getElementById('root')!);
const baseUrl = apiBaseFrom(window.location.href);

void officeReady(window as { Office?: unknown }).then((ready) => {
  if (ready.kind === 'outside') {
    root.render(<OutsideOutlook reason={ready.reason} manifestUrl={`${baseUrl}/outlook/manifest.xml`} />);
    return;
  }
  const item = ready.office.context.mailbox.item;
  if (!isComposeMessage(item)) {
    root.render(<p className="pane-card">Open this from a message you are writing.</p>);
    return;
  }
  root.render(<ComposePane deps={{ office: ready.office, item, baseUrl, store: addinLocalStorage(ready.office) ?? memoryTextStore() }} />);
});
