import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';

/** GeoReport v2 answers in the format named by the URL's suffix. */
export type Format = 'json' | 'xml';

/**
 * How each list is written in XML (GeoReport v2's examples): the list's element and the
 * element of each item. JSON writes the same lists as arrays.
 */
const xmlItems: Record<string, string> = {
  services: 'service',
  service_requests: 'request',
  errors: 'error',
  attributes: 'attribute',
  values: 'value',
  endpoints: 'endpoint',
  formats: 'format',
};

/** JSON shape → XML shape: a list becomes `<list><item/>…</list>`, null an empty element. */
function xmlShape(value: unknown, key: string): unknown {
  if (Array.isArray(value)) {
    const item = xmlItems[key] ?? 'item';
    return { [item]: value.map((v) => xmlShape(v, item)) };
  }
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, xmlShape(v, k)]));
  }
  return value;
}

const builder = new XMLBuilder({ format: false, suppressEmptyNode: false });

/** The body of a reply: JSON as it is, XML under `root` with the GeoReport element names. */
export function render(format: Format, root: string, value: unknown): { type: string; body: string } {
  if (format === 'json') return { type: 'application/json; charset=utf-8', body: JSON.stringify(value) };
  const xml = builder.build({ [root]: xmlShape(value, root) }) as string;
  return { type: 'text/xml; charset=utf-8', body: `<?xml version="1.0" encoding="UTF-8"?>${xml}` };
}

/** GeoReport's error reply: a list of `{code, description}`, the code being the HTTP status. */
export class Open311Error extends Error {
  constructor(
    readonly status: number,
    readonly description: string,
  ) {
    super(description);
  }
}

export function renderErrors(format: Format, status: number, description: string) {
  return render(format, 'errors', [{ code: status, description }]);
}

/** `services.json` → ['services', 'json']; a missing or unknown suffix is the caller's 400. */
export function splitFormat(file: string): { name: string; format: Format | null; suffix: string | null } {
  const dot = file.lastIndexOf('.');
  if (dot < 0) return { name: file, format: null, suffix: null };
  const suffix = file.slice(dot + 1).toLowerCase();
  const format = suffix === 'json' || suffix === 'xml' ? suffix : null;
  return { name: file.slice(0, dot), format, suffix };
}

const parser = new XMLParser({ parseTagValue: false, ignoreAttributes: true, processEntities: true });

/**
 * A POST body sent as XML (some city CRMs do): the root element's children as the form's
 * fields. Malformed XML is a 400, never a 500; DOCTYPE (and so entity expansion) is refused.
 */
export function fieldsOfXml(text: string): Record<string, string> {
  if (/<!DOCTYPE/i.test(text)) throw new Open311Error(400, 'XML with a DOCTYPE is not accepted');
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new Open311Error(400, `Malformed XML: ${valid.err.msg}`);
  const doc = parser.parse(text) as Record<string, unknown>;
  const root = Object.entries(doc).find(([k]) => k !== '?xml')?.[1];
  if (!root || typeof root !== 'object') throw new Open311Error(400, 'The XML body holds no fields');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(root as Record<string, unknown>)) {
    if (k === 'attribute' && v && typeof v === 'object' && !Array.isArray(v)) {
      for (const [ak, av] of Object.entries(v as Record<string, unknown>))
        out[`attribute[${ak}]`] = String(av);
    } else if (typeof v === 'string' || typeof v === 'number') out[k] = String(v);
    else throw new Open311Error(400, `The XML field ${k} is not a plain value`);
  }
  return out;
}
