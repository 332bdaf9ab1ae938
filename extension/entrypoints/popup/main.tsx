import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { browser } from 'wxt/browser';
import '../../pages/pages.css';
import { sendToBackground } from '../../send.ts';
import { Popup } from './popup.tsx';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Popup send={sendToBackground} openOptions={() => void browser.runtime.openOptionsPage()} />
  </StrictMode>,
);
