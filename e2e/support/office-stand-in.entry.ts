// Entry of the stand-in office.js (office-stand-in.ts bundles it): installs the fake Office with the
// fixture the test put in window.__officeFixture before the page's scripts ran.
import { installFakeOffice, type FakeDraft, type FakeMessage } from '../../outlook-addin/office/fake-office.ts';

interface Fixture {
  userEmail: string;
  sets?: string[];
  initial?: FakeMessage | null;
  compose?: FakeDraft;
}

const win = window as unknown as Record<string, unknown> & { __officeFixture?: Fixture };
const fixture: Fixture = win.__officeFixture ?? { userEmail: 'rep@example.test', initial: null };
const { fake } = installFakeOffice(win, fixture);
if (fixture.compose) fake.compose(fixture.compose);
