// A Gmail message body (InboxSDK MessageView.getBodyElement) as plain text with its line breaks, so
// the sidebar can read the sender's signature (core/signature-title.ts). textContent alone runs the
// lines of <br>/<div> together, and innerText is layout-dependent (a collapsed message has none).
// Quoted earlier mail (Gmail's .gmail_quote, <blockquote>) is left out: its signature is someone else's.

const blocks = new Set(['DIV', 'P', 'LI', 'TR', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'PRE', 'TABLE', 'UL', 'OL']);

interface NodeLike {
  nodeType: number;
  nodeName: string;
  textContent: string | null;
  childNodes?: ArrayLike<NodeLike>;
  getAttribute?(name: string): string | null;
}

function isQuote(node: NodeLike): boolean {
  if (node.nodeName === 'BLOCKQUOTE') return true;
  const cls = node.getAttribute?.('class') ?? '';
  return /\bgmail_(quote|extra)\b/.test(cls);
}

export function plainTextOf(element: NodeLike): string {
  if (!element.childNodes) return element.textContent ?? '';
  let out = '';
  const walk = (node: NodeLike) => {
    if (node.nodeType === 3) {
      out += (node.textContent ?? '').replace(/[ \t\r\n]+/g, ' ');
      return;
    }
    if (node.nodeType !== 1 || isQuote(node)) return;
    const name = node.nodeName.toUpperCase();
    if (name === 'BR') {
      out += '\n';
      return;
    }
    if (name === 'SCRIPT' || name === 'STYLE') return;
    const block = blocks.has(name);
    if (block && out && !out.endsWith('\n')) out += '\n';
    for (const child of Array.from(node.childNodes ?? [])) walk(child);
    if (block && out && !out.endsWith('\n')) out += '\n';
  };
  for (const child of Array.from(element.childNodes)) walk(child);
  return out
    .split('\n')
    .map((line) => line.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
