// The demo's login stand-in, as every citizen page shows it: the insured people to sign in as, in the page's language.
import { t } from '/lang.js';

const REGIONS = { 'demo-east': ['示例东省', 'Demo East'], 'demo-west': ['示例西省', 'Demo West'] };

/** An option of the sign-in list: the person's name and where they are insured. */
export function personOption(person) {
  const [zh, en] = REGIONS[person.region] ?? [person.region, person.region];
  return new Option(t(`${person.name}（${zh}）`, `${person.name} (${en})`), person.idNumber);
}

/** The line beside the sign-in button. */
export const signedInText = (person) => t(`已登录：${person.name}`, `Signed in: ${person.name}`);
