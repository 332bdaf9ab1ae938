// The manifest check: what Outlook's validator would refuse, checked offline (the official validator,
// office-addin-manifest validate, is an online service). Well-formed XML; the elements in the order
// of the schema's sequences; every resid resolves in its own VersionOverrides' Resources; every URL
// https under the configured address; a stable GUID; pinning and the event-based OnMessageSend declared.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { outlookFunctions } from './addin.ts';
import { addinIdFor, buildOutlookManifest, ManifestConfigError } from './manifest.ts';

type XmlNode = Record<string, unknown>;
const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', parseTagValue: false, trimValues: true });

const nameOf = (node: XmlNode) => Object.keys(node).find((k) => k !== ':@')!;
const attrs = (node: XmlNode) => (node[':@'] ?? {}) as Record<string, string>;
const children = (node: XmlNode) => ((node[nameOf(node)] as XmlNode[]) ?? []).filter((c) => nameOf(c) !== '#text');
const textOf = (node: XmlNode) => ((node[nameOf(node)] as XmlNode[]) ?? []).map((c) => c['#text'] ?? '').join('');
const child = (node: XmlNode, name: string) => children(node).find((c) => nameOf(c) === name);
const names = (node: XmlNode) => children(node).map(nameOf);
function* walk(node: XmlNode): Generator<XmlNode> {
  yield node;
  for (const c of children(node)) yield* walk(c);
}

const publicUrl = 'https://crm.example.com';
const xml = buildOutlookManifest({ publicUrl });
const root = (parser.parse(xml) as XmlNode[]).find((n) => nameOf(n) === 'OfficeApp')!;
const v10 = child(root, 'VersionOverrides')!;
const v11 = child(v10, 'VersionOverrides')!;

describe('the Outlook manifest', () => {
  it('is well-formed XML with a MailApp root', () => {
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(attrs(root)).toMatchObject({ 'xsi:type': 'MailApp', xmlns: 'http://schemas.microsoft.com/office/appforoffice/1.1' });
  });

  it('keeps the base elements in the schema order', () => {
    expect(names(root)).toEqual([
      'Id', 'Version', 'ProviderName', 'DefaultLocale', 'DisplayName', 'Description', 'IconUrl', 'HighResolutionIconUrl', 'SupportUrl',
      'Hosts', 'Requirements', 'FormSettings', 'Permissions', 'Rule', 'DisableEntityHighlighting', 'VersionOverrides',
    ]);
    expect(textOf(child(root, 'Version')!)).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  });

  it('nests VersionOverrides 1.1 as the last child of 1.0, each in schema order', () => {
    expect(attrs(v10)['xsi:type']).toBe('VersionOverridesV1_0');
    expect(names(v10)).toEqual(['Requirements', 'Hosts', 'Resources', 'VersionOverrides']);
    expect(attrs(v11)['xsi:type']).toBe('VersionOverridesV1_1');
    expect(names(v11)).toEqual(['Requirements', 'Hosts', 'Resources']);
    expect(names(child(v11, 'Resources')!)).toEqual(['bt:Images', 'bt:Urls', 'bt:ShortStrings', 'bt:LongStrings']);
    const host11 = child(child(v11, 'Hosts')!, 'Host')!;
    expect(names(host11)).toEqual(['Runtimes', 'DesktopFormFactor']);
    for (const block of [v10, v11]) {
      const form = child(child(child(block, 'Hosts')!, 'Host')!, 'DesktopFormFactor')!;
      expect(names(form)[0]).toBe('FunctionFile');
      for (const node of walk(form)) {
        if (nameOf(node) === 'Control') expect(names(node)).toEqual(['Label', 'Supertip', 'Icon', 'Action']);
        if (nameOf(node) === 'Supertip') expect(names(node)).toEqual(['Title', 'Description']);
      }
    }
  });

  it('asks for Mailbox 1.5 to install and 1.12 for the block with pinning and Smart Alerts', () => {
    const set = child(child(child(root, 'Requirements')!, 'Sets')!, 'Set')!;
    expect(attrs(set)).toEqual({ Name: 'Mailbox', MinVersion: '1.5' });
    expect(attrs(child(child(v11, 'Requirements')!, 'bt:Sets')!)).toEqual({ DefaultMinVersion: '1.12' });
  });

  it('resolves every resid in the Resources of its own VersionOverrides, with the right kind of resource', () => {
    for (const block of [v10, v11]) {
      const resources = child(block, 'Resources')!;
      const ids = (kind: string) => new Set(children(child(resources, kind)!).map((n) => attrs(n).id));
      const images = ids('bt:Images');
      const urls = ids('bt:Urls');
      const strings = new Set([...ids('bt:ShortStrings'), ...ids('bt:LongStrings')]);
      const unresolved: string[] = [];
      for (const node of walk(child(block, 'Hosts')!)) {
        const resid = attrs(node).resid;
        if (!resid) continue;
        const tag = nameOf(node);
        const pool = tag === 'bt:Image' ? images : ['Label', 'Title', 'Description'].includes(tag) ? strings : urls;
        if (!pool.has(resid)) unresolved.push(`${tag} ${resid}`);
      }
      expect(unresolved).toEqual([]);
    }
  });

  it('names only https URLs under the configured address', () => {
    const urls: string[] = [];
    for (const node of walk(root)) {
      for (const value of Object.values(attrs(node))) if (/^[a-z]+:\/\//i.test(value) && !value.startsWith('http://schemas.') && !value.startsWith('http://www.w3.org/')) urls.push(value);
    }
    expect(urls.length).toBeGreaterThan(10);
    expect(urls.filter((u) => !u.startsWith(`${publicUrl}/outlook/`))).toEqual([]);
  });

  it('names only files the add-in ships (its pages, public files and the built event script)', () => {
    const files = new Set<string>();
    for (const node of walk(root)) {
      for (const value of Object.values(attrs(node))) if (value.startsWith(`${publicUrl}/outlook/`)) files.add(value.slice(`${publicUrl}/outlook/`.length));
    }
    files.delete(''); // SupportUrl: /outlook/ itself, served as the task pane
    const shipped = (f: string) =>
      existsSync(fileURLToPath(new URL(`../../outlook-addin/pages/${f}`, import.meta.url))) ||
      existsSync(fileURLToPath(new URL(`../../outlook-addin/public/${f}`, import.meta.url))) ||
      f === 'launchevent.js'; // built from outlook-addin/pages/events.ts by vite.events.config.ts
    expect([...files].filter((f) => !shipped(f))).toEqual([]);
    expect(files.size).toBeGreaterThanOrEqual(9);
  });

  it('has a GUID id that stays the same for the same address and differs between deployments', () => {
    const id = textOf(child(root, 'Id')!);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(buildOutlookManifest({ publicUrl: `${publicUrl}/` })).toContain(`<Id>${id}</Id>`);
    expect(addinIdFor('https://staging.example.com')).not.toBe(id);
    expect(buildOutlookManifest({ publicUrl, addinId: '0F8FAD5B-D9CB-469F-A165-70867728950E' })).toContain('<Id>0f8fad5b-d9cb-469f-a165-70867728950e</Id>');
  });

  it('makes the read pane pinnable (1.1 only) and declares OnMessageSend with event-based activation', () => {
    const pinning = [...walk(v11)].filter((n) => nameOf(n) === 'SupportsPinning');
    expect(pinning.map(textOf)).toEqual(['true']);
    expect([...walk(child(v10, 'Hosts')!)].some((n) => nameOf(n) === 'SupportsPinning')).toBe(false);
    const launch = [...walk(v11)].find((n) => nameOf(n) === 'LaunchEvent')!;
    expect(attrs(launch)).toEqual({ Type: 'OnMessageSend', FunctionName: outlookFunctions.onMessageSend, SendMode: 'SoftBlock' });
    const runtime = [...walk(v11)].find((n) => nameOf(n) === 'Runtime')!;
    const launchPoint = [...walk(v11)].find((n) => nameOf(n) === 'ExtensionPoint' && attrs(n)['xsi:type'] === 'LaunchEvent')!;
    expect(attrs(child(launchPoint, 'SourceLocation')!).resid).toBe(attrs(runtime).resid);
    expect(attrs(child(runtime, 'Override')!)).toEqual({ type: 'javascript', resid: 'Events.Js' });
    expect(xml).toContain(`<FunctionName>${outlookFunctions.toggleTracking}</FunctionName>`);
  });

  it('keeps strings within Outlook\'s limits (short 125, long 250 characters)', () => {
    for (const [kind, max] of [['bt:ShortStrings', 125], ['bt:LongStrings', 250]] as const) {
      for (const s of children(child(child(v11, 'Resources')!, kind)!)) expect(attrs(s).DefaultValue!.length).toBeLessThanOrEqual(max);
    }
  });

  it.each([
    ['http://localhost:8787', /only over https/],
    ['not a url', /not a URL/],
    ['https://crm.example.com/?x=1', /query/],
  ])('refuses PUBLIC_URL %s', (url, message) => {
    expect(() => buildOutlookManifest({ publicUrl: url })).toThrow(ManifestConfigError);
    expect(() => buildOutlookManifest({ publicUrl: url })).toThrow(message);
  });

  it('puts the pages under a PUBLIC_URL path when the API is served under one', () => {
    expect(buildOutlookManifest({ publicUrl: 'https://example.com/crm' })).toContain('DefaultValue="https://example.com/crm/outlook/taskpane.html"');
  });
});
