// A job title from an email's signature, to offer (never force) when a contact is created from an
// unknown sender: the lines right under the sender's name, or under a sign-off ("Best,"), that read
// like a title ("VP Sales", "Head of Procurement, Acme"). Pure; null when nothing looks like one.

const titleWords =
  /\b(ceo|cfo|cto|coo|cio|cmo|cro|ciso|vp|svp|evp|president|founder|co-?founder|owner|partner|principal|director|head|chief|manager|lead|officer|engineer|architect|consultant|analyst|specialist|coordinator|administrator|buyer|purchaser|procurement|counsel|attorney|controller|accountant|executive|representative|associate|advisor|adviser|strategist|designer|developer|scientist|researcher|recruiter|assistant|secretary|treasurer|superintendent|supervisor)\b/i;
const signOff = /^(best|best regards|regards|kind regards|warm regards|cheers|thanks|thank you|many thanks|sincerely|all the best|talk soon|br|--|—)[,!.]?$/i;
const notTitle = /[@:/]|\d{3}|https?|www\.|^sent from|^on .+ wrote/i;

/** The first line under the name (or sign-off) that reads like a job title; the company after a comma or "at" is dropped. */
export function titleFromSignature(body: string, senderName: string): string | null {
  const lines = body.split(/\r?\n/).map((l) => l.trim());
  // Quoted earlier mail is someone else's signature.
  const end = lines.findIndex((l) => l.startsWith('>') || /^on .+ wrote:?$/i.test(l) || /^-{2,}\s*original message/i.test(l));
  const own = end >= 0 ? lines.slice(0, end) : lines;
  const first = senderName.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  // Where the signature starts: the last line that is the sender's name (or first name), else the last sign-off.
  let start = -1;
  for (let i = own.length - 1; i >= 0; i--) {
    const line = own[i]!.toLowerCase().replace(/[,.]$/, '');
    if (first && (line === senderName.trim().toLowerCase() || line === first)) {
      start = i;
      break;
    }
  }
  if (start < 0) start = own.map((l) => signOff.test(l)).lastIndexOf(true);
  if (start < 0) return null;
  for (const line of own.slice(start + 1, start + 4)) {
    if (!line) continue;
    const title = line.split(/\s*(?:,|\||·|•|\bat\b)\s*/i)[0]!.trim();
    if (notTitle.test(title) || title.length > 60) return null;
    if (!titleWords.test(title)) continue;
    return title.length >= 2 ? title : null;
  }
  return null;
}
