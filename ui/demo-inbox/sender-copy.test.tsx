// @vitest-environment happy-dom
import { cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { recipientPage, renderSenderCopy } from './sender-copy.tsx';

afterEach(cleanup);

const tracking = {
  trackedMessageId: 'tm1',
  pixelUrl: 'https://t.crm.test/o/abc',
  links: [{ index: 0, url: 'https://acme.example/pricing', trackedUrl: 'https://t.crm.test/c/abc.0' }],
  html: '',
};
const decorated =
  '<p>See <a href="https://t.crm.test/c/abc.0">the pricing</a> &amp; <a href="mailto:robin@seller.test">write</a>.<br>Thanks</p>' +
  '<script>alert(1)</script><a href="javascript:alert(1)">x</a>' +
  '<a href="https://t.crm.test/h/abc" style="display:none" aria-hidden="true" tabindex="-1"></a>' +
  '<img src="https://t.crm.test/o/abc" width="1" height="1" alt="" style="width:1px;height:1px;border:0">';

describe('the sender’s own copy', () => {
  it('never has the pixel, nor any image, script or hidden link', () => {
    const { container } = render(<div>{renderSenderCopy(decorated, tracking)}</div>);
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('script')).toBeNull();
    expect(container.innerHTML).not.toContain('t.crm.test/o/');
    expect(container.innerHTML).not.toContain('t.crm.test/h/');
    expect(container.innerHTML).not.toContain('javascript:');
    expect(container.textContent).toBe('See the pricing & write.Thanksx');
  });

  it('links to the pages themselves, so the rep’s own clicks are not counted', () => {
    const { container } = render(<div>{renderSenderCopy(decorated, tracking)}</div>);
    const links = [...container.querySelectorAll('a')].map((a) => [a.textContent, a.getAttribute('href'), a.getAttribute('rel')]);
    expect(links).toEqual([
      ['the pricing', 'https://acme.example/pricing', 'noopener noreferrer'],
      ['write', 'mailto:robin@seller.test', 'noopener noreferrer'],
    ]);
  });
});

describe('the recipient’s copy (demo only)', () => {
  it('is the decorated body as sent, pixel and tracked links included, under a demo note', () => {
    const page = recipientPage({ subject: 'Pricing <draft>', from: 'Robin <robin@seller.test>', to: 'Ann', decoratedHtml: decorated });
    expect(page).toContain(decorated);
    expect(page).toContain('<title>As the recipient: Pricing &lt;draft&gt;</title>');
    expect(page).toContain('Demo: the recipient’s copy.');
  });
});
