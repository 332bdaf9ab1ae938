// The app's icons: a few inline SVGs (no icon font, nothing to load), drawn on a 20px grid.
import type { SVGProps } from 'react';

const paths = {
  home: 'M3 9.5 10 4l7 5.5V16a1 1 0 0 1-1 1h-4v-5H8v5H4a1 1 0 0 1-1-1z',
  board: 'M3 4h4v12H3zM8 4h4v8H8zM13 4h4v10h-4z',
  contacts: 'M7 9a3 3 0 1 0 0-6 3 3 0 0 0 0 6zm-5 8c0-2.8 2.2-5 5-5s5 2.2 5 5M14 9.5a2.5 2.5 0 1 0 0-5M15 12c1.9.5 3 2.2 3 4.5',
  companies: 'M3 17V5l6-2v14M9 7h8v10M5 8h2M5 11h2M5 14h2M12 10h2M12 13h2M2 17h16',
  reports: 'M3 17h14M5 14V9M9 14V5M13 14v-3M17 14V7',
  settings: 'M10 13a3 3 0 1 0 0-6 3 3 0 0 0 0 6zm6.4-2.2.1-.8-.1-.8 1.6-1.3-1.6-2.7-1.9.7a6 6 0 0 0-1.4-.8L12.8 3H9.2l-.3 2.1a6 6 0 0 0-1.4.8l-1.9-.7L4 7.9l1.6 1.3-.1.8.1.8L4 12.1l1.6 2.7 1.9-.7c.4.3.9.6 1.4.8l.3 2.1h3.6l.3-2.1c.5-.2 1-.5 1.4-.8l1.9.7 1.6-2.7z',
  search: 'M9 15a6 6 0 1 0 0-12 6 6 0 0 0 0 12zm4.5-1.5L17 17',
  filter: 'M3 5h14M6 10h8M8.5 15h3',
  close: 'M5 5l10 10M15 5 5 15',
  plus: 'M10 4v12M4 10h12',
  check: 'M4 10.5 8 14.5 16 6',
  chevronDown: 'M5 8l5 5 5-5',
  chevronRight: 'M8 5l5 5-5 5',
  download: 'M10 3v10m-4-4 4 4 4-4M4 17h12',
  edit: 'M4 16v-3l9-9 3 3-9 9zM11.5 5.5l3 3',
  trash: 'M4 6h12M8 6V4h4v2M6 6l1 11h6l1-11',
  table: 'M3 4h14v12H3zM3 8h14M3 12h14M8 4v12',
  columns: 'M3 4h4v12H3zM8 4h4v12H8zM13 4h4v12h-4z',
  bell: 'M10 17a2 2 0 0 0 2-2H8a2 2 0 0 0 2 2zm5-5V9a5 5 0 0 0-10 0v3l-2 2h14z',
  signOut: 'M8 4H4v12h4M12 14l4-4-4-4M16 10H8',
  warning: 'M10 3 2 17h16zM10 8v4M10 14.5v.5',
  offline: 'M3 3l14 14M6 9.5a6 6 0 0 1 2-1.2M2.5 6.5a11 11 0 0 1 3-1.8M17.5 6.5a11 11 0 0 0-7-2.4M14 9.5a6 6 0 0 0-1-.7M8 13a3 3 0 0 1 4 0M10 16h0',
  live: 'M10 11a1 1 0 1 0 0-2 1 1 0 0 0 0 2zM6.5 6.5a5 5 0 0 0 0 7M13.5 6.5a5 5 0 0 1 0 7M4 4a8.5 8.5 0 0 0 0 12M16 4a8.5 8.5 0 0 1 0 12',
  grip: 'M7 5h0M7 10h0M7 15h0M13 5h0M13 10h0M13 15h0',
  calendar: 'M4 5h12v11H4zM4 8h12M7 3v3M13 3v3',
  user: 'M10 9a3 3 0 1 0 0-6 3 3 0 0 0 0 6zm-6 8c0-3.3 2.7-6 6-6s6 2.7 6 6',
  clock: 'M10 17a7 7 0 1 0 0-14 7 7 0 0 0 0 14zm0-10v3.5l2.5 1.5',
  mail: 'M3 5h14v10H3zM3 5l7 6 7-6',
  phone: 'M5 3h3l1.5 4-2 1.2a9 9 0 0 0 4.3 4.3L13 10.5l4 1.5v3a2 2 0 0 1-2 2A13 13 0 0 1 3 5a2 2 0 0 1 2-2z',
  note: 'M5 3h7l4 4v10H5zM12 3v4h4M8 10h5M8 13h5',
  task: 'M4 5h12v11H4zM7 10.5l2 2 4-4',
  meeting: 'M4 6h12v9H4zM7 3v3M13 3v3M7 10h2',
  eye: 'M2 10s3-5.5 8-5.5 8 5.5 8 5.5-3 5.5-8 5.5S2 10 2 10zm8 2.5a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5z',
  link: 'M8.5 11.5a3 3 0 0 0 4.2 0l2.5-2.5a3 3 0 0 0-4.2-4.2L10 5.8M11.5 8.5a3 3 0 0 0-4.2 0L4.8 11a3 3 0 0 0 4.2 4.2l1-1',
  stage: 'M3 10h11M10 6l4 4-4 4',
  copy: 'M7 7h9v10H7zM4 13V3h9',
  restore: 'M4 10a6 6 0 1 0 2-4.5M4 3v3.5h3.5',
} as const;

export type IconName = keyof typeof paths;

export function Icon({ name, size = 18, ...rest }: { name: IconName; size?: number } & SVGProps<SVGSVGElement>) {
  return (
    <svg width={size} height={size} viewBox="0 0 20 20" fill="none" stroke="currentColor" strokeWidth={1.6} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false" {...rest}>
      <path d={paths[name]} />
    </svg>
  );
}
