import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../../pages/pages.css';
import { requestApiAccess } from '../../pages/permission.ts';
import { sendToBackground } from '../../send.ts';
import { Options } from './options.tsx';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Options send={sendToBackground} requestAccess={requestApiAccess} />
  </StrictMode>,
);
