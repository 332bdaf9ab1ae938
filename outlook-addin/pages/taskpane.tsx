// Entry of the read-mode task pane (taskpane.html): waits for office.js, then the pane; outside
// Outlook a notice instead of a blank page.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createIndexedDbStore, withMemoryFallback } from '../../ui/sidebar/cache.ts';
import { addinLocalStorage, memoryTextStore } from '../office/addin-storage.ts';
import { apiBaseFrom, officeReady } from '../office/office-ready.ts';
import { manifestProblem } from '../pane/session.ts';
import { OutsideOutlook, TaskPane } from '../pane/task-pane.tsx';
import './pane.css';

const root = createRoot(document.getElementById('root')!);
const baseUrl = apiBaseFrom(window.location.href);

void officeReady(window as { Office?: unknown }).then((ready) => {
  if (ready.kind === 'outside') {
    const manifestUrl = `${baseUrl}/outlook/manifest.xml`;
    root.render(<OutsideOutlook reason={ready.reason} manifestUrl={manifestUrl} />);
    // Someone setting up opens this page: if the API cannot hand out the manifest (PUBLIC_URL is not
    // https), say why here rather than link a file that fails.
    void manifestProblem(manifestUrl).then((problem) => problem && root.render(<OutsideOutlook reason={ready.reason} manifestUrl={manifestUrl} manifestProblem={problem} />));
    return;
  }
  const office = ready.office;
  const partition = office.context.partitionKey ?? '';
  root.render(
    <StrictMode>
      <TaskPane
        deps={{
          office,
          baseUrl,
          store: addinLocalStorage(office) ?? memoryTextStore(),
          // One database per user (and storage partition): one rep's cache never reaches another.
          createCache: (email) => withMemoryFallback(createIndexedDbStore({ databaseName: `inbox-crm-outlook:${partition}:${email.toLowerCase()}` })),
        }}
      />
    </StrictMode>,
  );
});
