// sidebar.html: framed by the Gmail content script in InboxSDK's side panel (and listed in
// web_accessible_resources for https://mail.google.com only). The CRM data renders here, in the
// extension's origin, where Gmail's scripts cannot read it. See ../../sidebar-frame/.
import { startSidebarPage } from '../../sidebar-frame/sidebar-page.ts';
import { sendToBackground } from '../../send.ts';

startSidebarPage({ window, root: document.getElementById('root')!, send: sendToBackground });
