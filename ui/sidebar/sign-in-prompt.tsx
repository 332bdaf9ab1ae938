import { useEffect, useId, useRef } from 'react';

export interface SignInPromptProps {
  /** Opens the host's sign-in (the extension popup, the add-in's dialog, …). */
  onSignIn?: () => void;
  onRetry: () => void;
}

export function SignInPrompt({ onSignIn, onRetry }: SignInPromptProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  const headingId = useId();
  useEffect(() => heading.current?.focus(), []);
  return (
    <section className="crm-card" aria-labelledby={headingId}>
      <h3 id={headingId} ref={heading} tabIndex={-1}>Sign in to your CRM</h3>
      <p>Your session has ended or you have not signed in yet. Sign in to see contacts and deals for this thread.</p>
      <div className="crm-row">
        {onSignIn && (
          <button type="button" className="crm-primary" onClick={onSignIn}>Sign in</button>
        )}
        <button type="button" onClick={onRetry}>I have signed in, try again</button>
      </div>
    </section>
  );
}
