/**
 * A small strict XML 1.0 reader for tests: it throws on anything not well-formed (bad
 * characters, unknown entities, mismatched tags, duplicate attributes, `]]>` in text, more than
 * one root) and returns a tree to count elements in. Namespaces and DTDs are not supported;
 * the JUnit reporter uses neither.
 */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAME = /^[A-Za-z_:][A-Za-z0-9_:.-]*/;

function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

function checkChars(doc: string): void {
  for (let i = 0; i < doc.length; i++) {
    const cp = doc.codePointAt(i)!;
    if (cp > 0xffff) {
      i++;
      continue;
    }
    if (!isXmlChar(cp)) throw new Error(`invalid XML character U+${cp.toString(16)} at ${i}`);
  }
}

function decodeRefs(raw: string, at: number): string {
  return raw.replace(/&([^;]*);|&/g, (m, body: string | undefined) => {
    if (body === undefined) throw new Error(`bare & at ${at}`);
    const named: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };
    if (Object.hasOwn(named, body)) return named[body]!;
    const num = /^#(\d+)$/.exec(body) ?? null;
    const hex = /^#x([0-9A-Fa-f]+)$/.exec(body) ?? null;
    const cp = num ? Number(num[1]) : hex ? parseInt(hex[1]!, 16) : NaN;
    if (!Number.isFinite(cp) || !isXmlChar(cp)) throw new Error(`bad reference ${m} at ${at}`);
    return String.fromCodePoint(cp);
  });
}

/** Parses `doc` strictly; returns the root element. */
export function parseXml(doc: string): XmlElement {
  checkChars(doc);
  let i = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  if (doc.startsWith("<?xml")) {
    const end = doc.indexOf("?>");
    if (end < 0) throw new Error("unterminated XML declaration");
    i = end + 2;
  }
  while (i < doc.length) {
    const lt = doc.indexOf("<", i);
    const textEnd = lt < 0 ? doc.length : lt;
    const raw = doc.slice(i, textEnd);
    if (raw.includes("]]>")) throw new Error(`]]> in character data at ${i}`);
    const text = decodeRefs(raw, i);
    if (stack.length) stack[stack.length - 1]!.text += text;
    else if (text.trim() !== "") throw new Error(`text outside the root element at ${i}`);
    if (lt < 0) break;
    i = lt;
    if (doc.startsWith("<!--", i)) {
      const end = doc.indexOf("-->", i + 4);
      if (end < 0) throw new Error("unterminated comment");
      i = end + 3;
    } else if (doc.startsWith("<![CDATA[", i)) {
      if (!stack.length) throw new Error("CDATA outside the root");
      const end = doc.indexOf("]]>", i + 9);
      if (end < 0) throw new Error("unterminated CDATA");
      stack[stack.length - 1]!.text += doc.slice(i + 9, end);
      i = end + 3;
    } else if (doc.startsWith("<?", i)) {
      const end = doc.indexOf("?>", i);
      if (end < 0) throw new Error("unterminated processing instruction");
      i = end + 2;
    } else if (doc.startsWith("</", i)) {
      const m = NAME.exec(doc.slice(i + 2));
      if (!m) throw new Error(`bad end tag at ${i}`);
      const top = stack.pop();
      if (!top || top.name !== m[0]) throw new Error(`end tag </${m[0]}> does not match <${top?.name}> at ${i}`);
      i += 2 + m[0].length;
      while (/\s/.test(doc[i] ?? "")) i++;
      if (doc[i] !== ">") throw new Error(`bad end tag at ${i}`);
      i++;
    } else {
      const m = NAME.exec(doc.slice(i + 1));
      if (!m) throw new Error(`bad start tag at ${i}`);
      const el: XmlElement = { name: m[0], attrs: {}, children: [], text: "" };
      i += 1 + m[0].length;
      for (;;) {
        const ws = /^\s*/.exec(doc.slice(i))![0].length;
        i += ws;
        if (doc.startsWith("/>", i) || doc[i] === ">") break;
        if (ws === 0) throw new Error(`missing space before attribute at ${i}`);
        const an = NAME.exec(doc.slice(i));
        if (!an) throw new Error(`bad attribute name at ${i}`);
        i += an[0].length;
        const eq = /^\s*=\s*/.exec(doc.slice(i));
        if (!eq) throw new Error(`missing = at ${i}`);
        i += eq[0].length;
        const q = doc[i];
        if (q !== '"' && q !== "'") throw new Error(`unquoted attribute at ${i}`);
        const end = doc.indexOf(q, i + 1);
        if (end < 0) throw new Error("unterminated attribute");
        const value = doc.slice(i + 1, end);
        if (value.includes("<")) throw new Error(`< in attribute value at ${i}`);
        if (Object.hasOwn(el.attrs, an[0])) throw new Error(`duplicate attribute ${an[0]}`);
        el.attrs[an[0]] = decodeRefs(value, i);
        i = end + 1;
      }
      const selfClose = doc.startsWith("/>", i);
      i += selfClose ? 2 : 1;
      if (stack.length) stack[stack.length - 1]!.children.push(el);
      else if (root) throw new Error("more than one root element");
      else root = el;
      if (!selfClose) stack.push(el);
    }
  }
  if (stack.length) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  if (!root) throw new Error("no root element");
  return root;
}

/** Every descendant element named `name`, in document order. */
export function findAll(el: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of el.children) {
    if (c.name === name) out.push(c);
    out.push(...findAll(c, name));
  }
  return out;
}
