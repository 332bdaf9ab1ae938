// A mail's content as a few kinds of blocks, written once per message: the HTML part is rendered
// from it with React (api/modules/mail/render.tsx) and the plain-text part here, so the two never
// say different things.
export type MailBlock =
  | { type: 'heading'; text: string }
  | { type: 'paragraph'; text: string }
  | { type: 'button'; label: string; url: string }
  | { type: 'list'; items: string[] }
  | { type: 'table'; columns: string[]; rows: string[][] }
  | { type: 'note'; text: string };

export interface MailDocument {
  subject: string;
  /** One line shown by mail clients next to the subject. */
  preview: string;
  blocks: MailBlock[];
}

const wrap = (text: string, width = 72): string => {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      if (line && line.length + 1 + word.length > width) {
        lines.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    lines.push(line);
  }
  return lines.join('\n');
};

function tableText(columns: string[], rows: string[][]): string {
  const widths = columns.map((c, i) => Math.max(c.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** The plain-text part: readable as is, every link written out. */
export function mailText(doc: MailDocument, footer: string[] = []): string {
  const parts = doc.blocks.map((b) => {
    switch (b.type) {
      case 'heading':
        return `${b.text}\n${'='.repeat(Math.min(b.text.length, 72))}`;
      case 'paragraph':
        return wrap(b.text);
      case 'button':
        return `${b.label}:\n${b.url}`;
      case 'list':
        return b.items.map((item) => wrap(`- ${item}`).replace(/\n/g, '\n  ')).join('\n');
      case 'table':
        return tableText(b.columns, b.rows);
      case 'note':
        return wrap(b.text);
    }
  });
  if (footer.length) parts.push(`--\n${footer.map((f) => wrap(f)).join('\n')}`);
  return `${parts.join('\n\n')}\n`;
}
