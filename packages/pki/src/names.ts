import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { NAME_ATTRIBUTES, OID } from './oids.js';

/** Subject or issuer attributes by short name (`CN`, `O`, `C`, `serialNumber`, …). */
export type NameAttributes = Record<string, string>;

// Most general first, as X.500 names are ordered on the wire.
const ORDER = ['C', 'ST', 'L', 'O', 'OU', 'organizationIdentifier', 'SN', 'GN', 'serialNumber', 'CN'];
const SHORT_NAMES = Object.fromEntries(Object.entries(NAME_ATTRIBUTES).map(([k, v]) => [v, k]));

/**
 * A distinguished name with one attribute per RDN (pkijs's own constructor makes a single multi-valued RDN
 * from several attributes, which is not what certificates in the wild look like).
 */
export function buildName(attributes: NameAttributes): pkijs.RelativeDistinguishedNames {
  const unknown = Object.keys(attributes).filter((key) => !NAME_ATTRIBUTES[key]);
  if (unknown.length) throw new Error(`unknown name attribute: ${unknown.join(', ')}`);
  const keys = Object.keys(attributes).sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b));
  const rdns = keys.map((key) => {
    const value = attributes[key]!;
    const type = NAME_ATTRIBUTES[key]!;
    const encoded =
      type === OID.country || type === OID.serialNumber
        ? new asn1js.PrintableString({ value })
        : new asn1js.Utf8String({ value });
    return new asn1js.Set({ value: [new pkijs.AttributeTypeAndValue({ type, value: encoded }).toSchema()] });
  });
  // Parsed from DER so that pkijs keeps this encoding: built in memory, it would re-encode every attribute into
  // one multi-valued RDN (C=CN+O=…+CN=…).
  return pkijs.RelativeDistinguishedNames.fromBER(new asn1js.Sequence({ value: rdns }).toBER());
}

/** The string value of a name attribute (every DirectoryString and PrintableString decodes to text). */
function textOf(tv: pkijs.AttributeTypeAndValue): string {
  return tv.value.valueBlock.value;
}

function escapeValue(value: string): string {
  return value.replace(/[,+"\\<>;=]/g, (c) => `\\${c}`).replace(/^[ #]|[ ]$/g, (c) => `\\${c}`);
}

/** RFC 4514 string of a name (most specific attribute first): `CN=张三,O=…,C=CN`. */
export function formatName(name: pkijs.RelativeDistinguishedNames): string {
  return name.typesAndValues
    .map((tv) => `${SHORT_NAMES[tv.type] ?? tv.type}=${escapeValue(textOf(tv))}`)
    .reverse()
    .join(',');
}

/** The value of the first attribute of `type` (default common name), if any. */
export function nameAttribute(name: pkijs.RelativeDistinguishedNames, type: string = OID.commonName): string | undefined {
  const found = name.typesAndValues.find((tv) => tv.type === type);
  return found ? textOf(found) : undefined;
}
