// A small, strict XML reader and writer for the subset Braintree's client API speaks
// (https://developer.paypal.com/braintree/docs/reference/overview; the official Node SDK reads it
// with xml2js and `Util.convertNodeToObject`, node_modules/braintree/lib/braintree/util.js):
// dasherized element names, no namespaces, attributes only for typing (`type="integer"`,
// `type="boolean"`, `type="array"`, `type="collection"`, `type="datetime"`, `nil="true"`), text
// escaped with the five XML entities and character references. Anything else a Braintree answer
// never holds (a DOCTYPE, entity declarations, processing instructions, mixed text and elements,
// unknown entities, mismatched tags) is refused, so an answer is either read exactly or not at all.
// No xml2js here: it is only a transitive dependency of the SDK.

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** The element's text (empty when it has child elements). */
  text: string;
}

/** What an element means, as the SDK reads it: typed leaves, arrays, objects of child elements. */
export type XmlValue = string | number | boolean | null | XmlValue[] | { [name: string]: XmlValue };
export type XmlObject = { [name: string]: XmlValue };

export class XmlError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} (at ${offset})`);
    this.name = 'XmlError';
  }
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const MAX_DEPTH = 64;
const MAX_LENGTH = 8 * 1024 * 1024;

function decodeEntities(raw: string, offset: number): string {
  return raw.replace(/&([^;&\s]*);?/g, (match, body: string, at: number) => {
    if (!match.endsWith(';')) throw new XmlError('an ampersand that starts no entity', offset + at);
    switch (body) {
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case 'amp':
        return '&';
      case 'quot':
        return '"';
      case 'apos':
        return "'";
    }
    const numeric = /^#(?:x([0-9a-fA-F]{1,6})|([0-9]{1,7}))$/.exec(body);
    if (!numeric) throw new XmlError(`unknown entity &${body};`, offset + at);
    const code = numeric[1] !== undefined ? parseInt(numeric[1], 16) : parseInt(numeric[2]!, 10);
    if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) throw new XmlError(`invalid character reference &${body};`, offset + at);
    return String.fromCodePoint(code);
  });
}

/** Parses one XML document into its root element; throws XmlError on anything outside the subset. */
export function parseXml(input: string): XmlElement {
  if (input.length > MAX_LENGTH) throw new XmlError('document too large', 0);
  let i = input.charCodeAt(0) === 0xfeff ? 1 : 0;
  const skipSpace = () => {
    while (i < input.length && /\s/.test(input[i]!)) i++;
  };
  const skipMisc = () => {
    for (;;) {
      skipSpace();
      if (input.startsWith('<!--', i)) {
        const end = input.indexOf('-->', i + 4);
        if (end < 0) throw new XmlError('unterminated comment', i);
        i = end + 3;
        continue;
      }
      return;
    }
  };

  skipSpace();
  if (input.startsWith('<?xml', i)) {
    const end = input.indexOf('?>', i);
    if (end < 0) throw new XmlError('unterminated XML declaration', i);
    i = end + 2;
  }
  skipMisc();
  if (input.startsWith('<!', i) || input.startsWith('<?', i)) throw new XmlError('DOCTYPE, entity declarations and processing instructions are not accepted', i);

  function readName(): string {
    const start = i;
    while (i < input.length && /[A-Za-z0-9_.:-]/.test(input[i]!)) i++;
    const name = input.slice(start, i);
    if (!NAME.test(name)) throw new XmlError(`invalid name "${name}"`, start);
    return name;
  }

  function readElement(depth: number): XmlElement {
    if (depth > MAX_DEPTH) throw new XmlError('nesting too deep', i);
    if (input[i] !== '<') throw new XmlError('expected an element', i);
    i++;
    const name = readName();
    const attrs: Record<string, string> = {};
    for (;;) {
      const before = i;
      skipSpace();
      if (input.startsWith('/>', i)) {
        i += 2;
        return { name, attrs, children: [], text: '' };
      }
      if (input[i] === '>') {
        i++;
        break;
      }
      if (i === before) throw new XmlError(`expected an attribute, > or /> in <${name}>`, i);
      const attrAt = i;
      const attr = readName();
      skipSpace();
      if (input[i] !== '=') throw new XmlError(`attribute ${attr} has no value`, i);
      i++;
      skipSpace();
      const quote = input[i];
      if (quote !== '"' && quote !== "'") throw new XmlError(`attribute ${attr} value is not quoted`, i);
      const end = input.indexOf(quote, i + 1);
      if (end < 0) throw new XmlError(`unterminated attribute ${attr}`, i);
      const raw = input.slice(i + 1, end);
      if (raw.includes('<')) throw new XmlError(`< in attribute ${attr}`, i);
      if (Object.hasOwn(attrs, attr)) throw new XmlError(`duplicate attribute ${attr}`, attrAt);
      attrs[attr] = decodeEntities(raw, i + 1);
      i = end + 1;
    }
    const children: XmlElement[] = [];
    let text = '';
    for (;;) {
      if (i >= input.length) throw new XmlError(`<${name}> is not closed`, i);
      if (input.startsWith('</', i)) {
        i += 2;
        const closing = readName();
        if (closing !== name) throw new XmlError(`</${closing}> closes <${name}>`, i);
        skipSpace();
        if (input[i] !== '>') throw new XmlError(`malformed </${closing}>`, i);
        i++;
        break;
      }
      if (input.startsWith('<!--', i)) {
        const end = input.indexOf('-->', i + 4);
        if (end < 0) throw new XmlError('unterminated comment', i);
        i = end + 3;
        continue;
      }
      if (input.startsWith('<![CDATA[', i)) {
        const end = input.indexOf(']]>', i + 9);
        if (end < 0) throw new XmlError('unterminated CDATA section', i);
        text += input.slice(i + 9, end);
        i = end + 3;
        continue;
      }
      if (input.startsWith('<!', i) || input.startsWith('<?', i)) throw new XmlError('declarations and processing instructions are not accepted inside elements', i);
      if (input[i] === '<') {
        children.push(readElement(depth + 1));
        continue;
      }
      const next = input.indexOf('<', i);
      const end = next < 0 ? input.length : next;
      text += decodeEntities(input.slice(i, end), i);
      i = end;
    }
    if (children.length > 0) {
      if (text.trim() !== '') throw new XmlError(`<${name}> mixes text and elements`, i);
      text = '';
    }
    return { name, attrs, children, text };
  }

  const root = readElement(0);
  skipMisc();
  if (i !== input.length) throw new XmlError('content after the root element', i);
  return root;
}

/**
 * An element's meaning, as the official SDK reads it (`Util.convertNodeToObject`): `nil="true"` is
 * null, `type="integer"` a number, `type="boolean"` a boolean, `type="array"` the list of its
 * children's values, an element with children an object (a repeated child name becomes a list), a
 * leaf its text (decimals, dates and symbols stay strings: amounts are never floats here).
 */
export function xmlValue(element: XmlElement): XmlValue {
  const type = element.attrs.type;
  if (element.attrs.nil === 'true') return null;
  if (type === 'array') return element.children.map(xmlValue);
  if (type === 'integer') {
    const text = element.text.trim();
    if (!/^-?\d{1,15}$/.test(text)) throw new XmlError(`<${element.name} type="integer"> holds "${text}"`, 0);
    return Number(text);
  }
  if (type === 'boolean') {
    const text = element.text.trim();
    if (text !== 'true' && text !== 'false') throw new XmlError(`<${element.name} type="boolean"> holds "${text}"`, 0);
    return text === 'true';
  }
  if (element.children.length > 0 || type === 'collection') {
    const grouped = new Map<string, XmlValue[]>();
    for (const child of element.children) {
      const list = grouped.get(child.name) ?? [];
      list.push(xmlValue(child));
      grouped.set(child.name, list);
    }
    const out: XmlObject = {};
    // defineProperty: an element named __proto__ is data, never the object's prototype.
    for (const [name, values] of grouped) Object.defineProperty(out, name, { value: values.length === 1 ? values[0]! : values, enumerable: true, writable: true, configurable: true });
    return out;
  }
  return element.text;
}

/** Parses a document and returns its root's name and value. */
export function readXmlDocument(input: string): { root: string; value: XmlValue } {
  const root = parseXml(input);
  return { root: root.name, value: xmlValue(root) };
}

// ---- writing ----

export interface XmlNode {
  name: string;
  attrs?: Record<string, string>;
  text?: string;
  children?: XmlNode[];
}

export function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

function assertName(name: string): void {
  if (!NAME.test(name)) throw new Error(`not an XML element name: ${name}`);
}

/** Element builders for the shapes Braintree answers with. */
export const xml = {
  /** A string leaf; null or undefined is `nil="true"`. */
  str: (name: string, value: string | null | undefined): XmlNode => (value === null || value === undefined ? { name, attrs: { nil: 'true' } } : { name, text: value }),
  int: (name: string, value: number | null): XmlNode => (value === null ? { name, attrs: { type: 'integer', nil: 'true' } } : { name, attrs: { type: 'integer' }, text: String(Math.trunc(value)) }),
  bool: (name: string, value: boolean | null): XmlNode => (value === null ? { name, attrs: { type: 'boolean', nil: 'true' } } : { name, attrs: { type: 'boolean' }, text: String(value) }),
  datetime: (name: string, value: string | null): XmlNode => (value === null ? { name, attrs: { type: 'datetime', nil: 'true' } } : { name, attrs: { type: 'datetime' }, text: value }),
  symbol: (name: string, value: string): XmlNode => ({ name, attrs: { type: 'symbol' }, text: value }),
  nil: (name: string): XmlNode => ({ name, attrs: { nil: 'true' } }),
  array: (name: string, items: XmlNode[]): XmlNode => ({ name, attrs: { type: 'array' }, children: items }),
  collection: (name: string, children: XmlNode[]): XmlNode => ({ name, attrs: { type: 'collection' }, children }),
  obj: (name: string, children: XmlNode[]): XmlNode => ({ name, children }),
};

function write(node: XmlNode, indent: string, out: string[]): void {
  assertName(node.name);
  const attrs = Object.entries(node.attrs ?? {})
    .map(([key, value]) => {
      assertName(key);
      return ` ${key}="${escapeXml(value)}"`;
    })
    .join('');
  if (node.children && node.children.length > 0) {
    out.push(`${indent}<${node.name}${attrs}>\n`);
    for (const child of node.children) write(child, `${indent}  `, out);
    out.push(`${indent}</${node.name}>\n`);
  } else if (node.text !== undefined && node.text !== '') {
    out.push(`${indent}<${node.name}${attrs}>${escapeXml(node.text)}</${node.name}>\n`);
  } else {
    out.push(`${indent}<${node.name}${attrs}/>\n`);
  }
}

/** A whole document (with the XML declaration Braintree sends). */
export function writeXml(root: XmlNode): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>\n'];
  write(root, '', out);
  return out.join('');
}

/** A fragment without the declaration (webhook subjects, nested documents). */
export function writeXmlFragment(root: XmlNode): string {
  const out: string[] = [];
  write(root, '', out);
  return out.join('');
}
