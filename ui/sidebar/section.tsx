import { useId, type ReactNode, type Ref } from 'react';

export interface Fold {
  folded: boolean;
  onFold: (folded: boolean) => void;
}

export interface SectionProps {
  title: string;
  /** Without it the section cannot be folded. */
  fold?: Fold;
  /** The heading's button, e.g. to take focus back after the item acted on left the list. */
  headingRef?: Ref<HTMLButtonElement>;
  children: ReactNode;
}

/** A sidebar section whose heading folds it away; the sidebar remembers which are folded. */
export function Section({ title, fold, headingRef, children }: SectionProps) {
  const headingId = useId();
  const folded = fold?.folded ?? false;
  return (
    <section aria-labelledby={headingId} className="crm-section">
      <h2 id={headingId}>
        <button type="button" ref={headingRef} className="crm-fold" aria-expanded={!folded} onClick={() => fold?.onFold(!folded)}>
          {title}
        </button>
      </h2>
      {!folded && children}
    </section>
  );
}
