// The Outlook add-in's fixed names, shared by the manifest (core/outlook/manifest.ts, served by the
// API at /outlook/manifest.xml) and the add-in's code (outlook-addin/): the files under /outlook/,
// the functions Office.actions.associate registers, the requirement sets each feature needs, and the
// keys the compose pane and the on-send handler share. Browser-safe: no Node imports here.

/** Where the API serves the add-in (dist/web/outlook, built by `npm run build:web`). */
export const OUTLOOK_BASE_PATH = '/outlook';

export const outlookFiles = {
  /** The read-mode task pane (pinnable): the sidebar. */
  taskpane: 'taskpane.html',
  /** The compose task pane: the tracking toggle. */
  compose: 'compose.html',
  /** The FunctionFile: compose commands without UI. */
  commands: 'commands.html',
  /** The event-based runtime (web, new Outlook on Windows, Mac) loads this page… */
  eventsHtml: 'launchevent.html',
  /** …classic Outlook on Windows loads this one script, with no imports (a JavaScript-only runtime). */
  eventsJs: 'launchevent.js',
  icon: (size: 16 | 32 | 64 | 80 | 128) => `icons/icon-${size}.png`,
} as const;

/** Function names in the manifest, registered with Office.actions.associate. */
export const outlookFunctions = {
  /** Smart Alerts: OnMessageSend (Mailbox 1.12). */
  onMessageSend: 'onMessageSendHandler',
  /** The compose command: tracking on or off for this email. */
  toggleTracking: 'toggleTracking',
} as const;

/** Item session data (Mailbox 1.11) the compose pane or command writes and the on-send handler reads. */
export const composeSessionKeys = {
  /** 'on' or 'off': the rep's choice for this email. Absent: the rep's default (trackByDefault). */
  tracking: 'inbox-crm.tracking',
  /** 'on': add the recipient's opt-out line. */
  optOutLine: 'inbox-crm.opt-out-line',
  /**
   * Classic Outlook on Windows only: its on-send handler runs in a JavaScript-only runtime without
   * the pane's localStorage, so the compose pane hands it the session for this one email.
   */
  session: 'inbox-crm.session',
} as const;

export type RequirementSet = '1.5' | '1.8' | '1.10' | '1.11' | '1.12' | '1.14';

/** What each feature needs (Mailbox requirement set), as the pane's self-test and the README list them. */
export const outlookFeatureRequirements: readonly { feature: string; set: RequirementSet; without: string }[] = [
  { feature: 'Task pane that follows the selected message (ItemChanged)', set: '1.5', without: 'the add-in does not install' },
  { feature: 'Pinning the task pane (the manifest\'s VersionOverrides 1.1 block, which also holds Smart Alerts)', set: '1.12', without: 'the pane opens per message from its button, unpinned' },
  { feature: 'Bulk-mail headers (List-Unsubscribe, List-Id, Precedence, Auto-Submitted)', set: '1.8', without: 'automated senders are recognised by their address only' },
  { feature: 'Compose choice handed to the send check (item session data)', set: '1.11', without: 'sends follow your default, the toggle cannot change it' },
  { feature: 'Tracked sending (Smart Alerts OnMessageSend)', set: '1.12', without: 'mail is sent untracked' },
];

/** The add-in installs from Mailbox 1.5 (ItemChanged); its VersionOverrides 1.1 block (pinning, Smart Alerts) asks for 1.12. */
export const MIN_MAILBOX_SET = '1.5';
export const EVENTS_MAILBOX_SET = '1.12';
