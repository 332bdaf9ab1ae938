// The Outlook add-in's XML manifest (the "add-in only" manifest every current Outlook accepts for mail
// add-ins: Outlook on the web, new Outlook on Windows, classic Outlook on Windows, Outlook on Mac),
// built from the API's public address. The API serves it at /outlook/manifest.xml and
// `npm run outlook:manifest` writes the same file for sideloading.
//
// Element order matters: the schemas (MS-OWEMXML) use xs:sequence, so Outlook rejects a manifest whose
// elements are right but out of order. The order here is the documented one (Microsoft Learn,
// "manifest element ordering"; OfficeDev/Office-Add-in-samples outlook-check-item-categories), and
// core/outlook/manifest.test.ts checks it, that every resid resolves and that every URL is https on
// the configured origin.
//
// Layout: the base manifest asks for Mailbox 1.5. VersionOverrides 1.0 holds pin-less buttons for
// clients below 1.12; nested in it (its last child), VersionOverrides 1.1 asks for 1.12 and holds the
// pinnable read pane, the compose pane and command, and the event-based runtime with OnMessageSend
// (Smart Alerts). Mac's new UI tops out at Mailbox 1.14, so nothing here asks for more.
import { createHash } from 'node:crypto';
import { EVENTS_MAILBOX_SET, MIN_MAILBOX_SET, OUTLOOK_BASE_PATH, outlookFiles, outlookFunctions } from './addin.ts';

/** Bump when the manifest changes: Outlook caches an add-in by id and version. */
export const OUTLOOK_MANIFEST_VERSION = '1.0.0.0';

// The namespace of add-in ids derived from an origin (a fixed random UUID: never change it, or every
// deployment's add-in id changes with it).
const ADDIN_ID_NAMESPACE = 'c7d0c3f2-3b9e-4d5a-8a61-2f0e6b9d4a17';

export interface OutlookManifestOptions {
  /** The API's public address (PUBLIC_URL): https, the add-in's pages and icons are under it. */
  publicUrl: string;
  /** A fixed add-in id (OUTLOOK_ADDIN_ID); by default derived from publicUrl, so it is stable per deployment. */
  addinId?: string;
  /** Shown in Outlook's add-in list. */
  displayName?: string;
}

export class ManifestConfigError extends Error {}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A name-based (version 5) UUID: the same name always gives the same id. */
export function addinIdFor(publicUrl: string): string {
  const namespace = Buffer.from(ADDIN_ID_NAMESPACE.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(namespace).update(baseUrlOf(publicUrl), 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The public address without a trailing slash; throws ManifestConfigError unless it is https. */
export function baseUrlOf(publicUrl: string): string {
  let url: URL;
  try {
    url = new URL(publicUrl);
  } catch {
    throw new ManifestConfigError(`PUBLIC_URL is not a URL: ${publicUrl}`);
  }
  // Outlook loads add-in pages only over https (Outlook on the web frames them in an https page).
  if (url.protocol !== 'https:') {
    throw new ManifestConfigError(`Outlook loads add-ins only over https, and PUBLIC_URL is ${url.origin}. Serve the API over https (see outlook-addin/README.md) and set PUBLIC_URL to that address.`);
  }
  if (url.search || url.hash) throw new ManifestConfigError('PUBLIC_URL must not have a query or a fragment');
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The URLs the manifest names, under <publicUrl>/outlook/. */
export function outlookUrls(publicUrl: string) {
  const base = `${baseUrlOf(publicUrl)}${OUTLOOK_BASE_PATH}/`;
  return {
    base,
    taskpane: base + outlookFiles.taskpane,
    compose: base + outlookFiles.compose,
    commands: base + outlookFiles.commands,
    eventsHtml: base + outlookFiles.eventsHtml,
    eventsJs: base + outlookFiles.eventsJs,
    icon: (size: 16 | 32 | 64 | 80 | 128) => base + outlookFiles.icon(size),
  };
}

const strings = {
  short: {
    'Group.Label': 'Inbox CRM',
    'Read.Label': 'Inbox CRM',
    'Compose.Label': 'Tracking',
    'Toggle.Label': 'Track on/off',
  },
  long: {
    'Read.Tip': 'Contacts, company, open deals and tasks for this email, logged to your CRM. Pin it to keep it open as you move between messages.',
    'Compose.Tip': 'Open and click tracking for this email: what will be recorded for these recipients, and your default.',
    'Toggle.Tip': 'Turn open and click tracking on or off for this email.',
  },
};

const icon = `<Icon>
                    <bt:Image size="16" resid="Icon.16"/>
                    <bt:Image size="32" resid="Icon.32"/>
                    <bt:Image size="80" resid="Icon.80"/>
                  </Icon>`;

function control(id: string, label: string, tip: string, action: string): string {
  return `<Control xsi:type="Button" id="${id}">
                  <Label resid="${label}"/>
                  <Supertip>
                    <Title resid="${label}"/>
                    <Description resid="${tip}"/>
                  </Supertip>
                  ${icon}
                  ${action}
                </Control>`;
}

/** The read and compose buttons; `pinnable` only in VersionOverrides 1.1, where SupportsPinning exists. */
function commandSurfaces(pinnable: boolean): string {
  const readAction = `<Action xsi:type="ShowTaskpane">
                    <SourceLocation resid="Taskpane.Url"/>${pinnable ? '\n                    <SupportsPinning>true</SupportsPinning>' : ''}
                  </Action>`;
  return `<FunctionFile resid="Commands.Url"/>
          <ExtensionPoint xsi:type="MessageReadCommandSurface">
            <OfficeTab id="TabDefault">
              <Group id="InboxCrm.ReadGroup">
                <Label resid="Group.Label"/>
                ${control('InboxCrm.OpenPane', 'Read.Label', 'Read.Tip', readAction)}
              </Group>
            </OfficeTab>
          </ExtensionPoint>
          <ExtensionPoint xsi:type="MessageComposeCommandSurface">
            <OfficeTab id="TabDefault">
              <Group id="InboxCrm.ComposeGroup">
                <Label resid="Group.Label"/>
                ${control('InboxCrm.ComposePane', 'Compose.Label', 'Compose.Tip', `<Action xsi:type="ShowTaskpane">
                    <SourceLocation resid="Compose.Url"/>
                  </Action>`)}
                ${control('InboxCrm.ToggleTracking', 'Toggle.Label', 'Toggle.Tip', `<Action xsi:type="ExecuteFunction">
                    <FunctionName>${outlookFunctions.toggleTracking}</FunctionName>
                  </Action>`)}
              </Group>
            </OfficeTab>
          </ExtensionPoint>`;
}

function resources(urls: ReturnType<typeof outlookUrls>, withEvents: boolean): string {
  const url = (id: string, value: string) => `<bt:Url id="${id}" DefaultValue="${escapeXml(value)}"/>`;
  const str = (id: string, value: string) => `<bt:String id="${id}" DefaultValue="${escapeXml(value)}"/>`;
  return `<Resources>
        <bt:Images>
          <bt:Image id="Icon.16" DefaultValue="${escapeXml(urls.icon(16))}"/>
          <bt:Image id="Icon.32" DefaultValue="${escapeXml(urls.icon(32))}"/>
          <bt:Image id="Icon.80" DefaultValue="${escapeXml(urls.icon(80))}"/>
        </bt:Images>
        <bt:Urls>
          ${[
            url('Taskpane.Url', urls.taskpane),
            url('Compose.Url', urls.compose),
            url('Commands.Url', urls.commands),
            ...(withEvents ? [url('Events.Html', urls.eventsHtml), url('Events.Js', urls.eventsJs)] : []),
          ].join('\n          ')}
        </bt:Urls>
        <bt:ShortStrings>
          ${Object.entries(strings.short).map(([id, v]) => str(id, v)).join('\n          ')}
        </bt:ShortStrings>
        <bt:LongStrings>
          ${Object.entries(strings.long).map(([id, v]) => str(id, v)).join('\n          ')}
        </bt:LongStrings>
      </Resources>`;
}

export function buildOutlookManifest(options: OutlookManifestOptions): string {
  const urls = outlookUrls(options.publicUrl);
  const id = options.addinId ?? addinIdFor(options.publicUrl);
  if (!GUID.test(id)) throw new ManifestConfigError(`OUTLOOK_ADDIN_ID must be a GUID, not ${id}`);
  const name = options.displayName ?? 'Inbox CRM';
  return `<?xml version="1.0" encoding="UTF-8"?>
<OfficeApp xmlns="http://schemas.microsoft.com/office/appforoffice/1.1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:bt="http://schemas.microsoft.com/office/officeappbasictypes/1.0" xmlns:mailappor="http://schemas.microsoft.com/office/mailappversionoverrides/1.0" xsi:type="MailApp">
  <Id>${id.toLowerCase()}</Id>
  <Version>${OUTLOOK_MANIFEST_VERSION}</Version>
  <ProviderName>Inbox CRM</ProviderName>
  <DefaultLocale>en-US</DefaultLocale>
  <DisplayName DefaultValue="${escapeXml(name)}"/>
  <Description DefaultValue="Your CRM beside every email: who the people are, their company, open deals with risk, tasks and the timeline; emails logged once; open and click tracking."/>
  <IconUrl DefaultValue="${escapeXml(urls.icon(64))}"/>
  <HighResolutionIconUrl DefaultValue="${escapeXml(urls.icon(128))}"/>
  <SupportUrl DefaultValue="${escapeXml(urls.base)}"/>
  <Hosts>
    <Host Name="Mailbox"/>
  </Hosts>
  <Requirements>
    <Sets>
      <Set Name="Mailbox" MinVersion="${MIN_MAILBOX_SET}"/>
    </Sets>
  </Requirements>
  <FormSettings>
    <Form xsi:type="ItemRead">
      <DesktopSettings>
        <SourceLocation DefaultValue="${escapeXml(urls.taskpane)}"/>
        <RequestedHeight>360</RequestedHeight>
      </DesktopSettings>
    </Form>
    <Form xsi:type="ItemEdit">
      <DesktopSettings>
        <SourceLocation DefaultValue="${escapeXml(urls.compose)}"/>
      </DesktopSettings>
    </Form>
  </FormSettings>
  <Permissions>ReadWriteItem</Permissions>
  <Rule xsi:type="RuleCollection" Mode="Or">
    <Rule xsi:type="ItemIs" ItemType="Message" FormType="Read"/>
    <Rule xsi:type="ItemIs" ItemType="Message" FormType="Edit"/>
  </Rule>
  <DisableEntityHighlighting>false</DisableEntityHighlighting>
  <VersionOverrides xmlns="http://schemas.microsoft.com/office/mailappversionoverrides" xsi:type="VersionOverridesV1_0">
    <Requirements>
      <bt:Sets DefaultMinVersion="${MIN_MAILBOX_SET}">
        <bt:Set Name="Mailbox"/>
      </bt:Sets>
    </Requirements>
    <Hosts>
      <Host xsi:type="MailHost">
        <DesktopFormFactor>
          ${commandSurfaces(false)}
        </DesktopFormFactor>
      </Host>
    </Hosts>
    ${resources(urls, false)}
    <VersionOverrides xmlns="http://schemas.microsoft.com/office/mailappversionoverrides/1.1" xsi:type="VersionOverridesV1_1">
      <Requirements>
        <bt:Sets DefaultMinVersion="${EVENTS_MAILBOX_SET}">
          <bt:Set Name="Mailbox"/>
        </bt:Sets>
      </Requirements>
      <Hosts>
        <Host xsi:type="MailHost">
          <Runtimes>
            <Runtime resid="Events.Html">
              <Override type="javascript" resid="Events.Js"/>
            </Runtime>
          </Runtimes>
          <DesktopFormFactor>
          ${commandSurfaces(true)}
          <ExtensionPoint xsi:type="LaunchEvent">
            <LaunchEvents>
              <LaunchEvent Type="OnMessageSend" FunctionName="${outlookFunctions.onMessageSend}" SendMode="SoftBlock"/>
            </LaunchEvents>
            <SourceLocation resid="Events.Html"/>
          </ExtensionPoint>
          </DesktopFormFactor>
        </Host>
      </Hosts>
      ${resources(urls, true)}
    </VersionOverrides>
  </VersionOverrides>
</OfficeApp>
`;
}
