/**
 * Emits the JavaScript source of specialised codec functions for one (message, version): every
 * version check, nullability check and wire-format choice (classic vs compact, inline vs tagged) is
 * decided here, once, so the generated code is straight-line reads and writes.
 *
 * Four function families, one per struct (the message itself is the root struct):
 *   S_n(v, c)  size in bytes; validates; records measured lengths in c.lens, externalised records in c.ext
 *   E_n(w, v)  encode into a Writer whose `lens` came from S_n
 *   D_n(r)     decode from a Reader (sticky error; checked by the caller)
 *   Z_n()      a fresh all-defaults value
 *   I_n(v)     is v all-defaults? (decides whether a tagged struct is written)
 * Generated code reaches helpers through `rt` (see compile.ts) and constants through `K`.
 */
import type { AnyField, StructType, Type } from './dsl.js';
import { inVersions, parseVersions } from './versions.js';
import { FIXED, READ, inlineRead, uvarintSizeConst } from './codegen-wire.js';

export type Family = 'S' | 'E' | 'D' | 'Z' | 'I';

interface StructLike {
  readonly name: string;
  readonly fields: readonly AnyField[];
}

interface FieldPlan {
  readonly field: AnyField;
  /** Property access on `v`, e.g. `v.topics`. */
  readonly prop: string;
  readonly present: boolean;
  readonly tagged: boolean;
  readonly nullable: boolean;
  /** JS expression of the default value (fresh for mutable kinds). */
  readonly def: string;
  /** True when the declared default is null. */
  readonly defIsNull: boolean;
}

const IDENT = /^[A-Za-z_$][\w$]*$/;

export class CodeGen {
  private readonly fns: string[] = [];
  private readonly names = new Map<StructLike, number>();
  private readonly done = new Set<string>();
  private uid = 0;
  readonly consts: unknown[] = [];

  constructor(
    private readonly messageName: string,
    private readonly version: number,
    private readonly flexible: boolean,
  ) {}

  /** Source of a function body returning the root function of `family` for `root`. */
  program(root: StructLike, family: Family): string {
    const name = this.need(family, root);
    return `'use strict';\n${this.fns.join('\n')}\nreturn ${name};`;
  }

  /** Name of the `family` function for `st`, generating it on first use. */
  need(family: Family, st: StructLike): string {
    let id = this.names.get(st);
    if (id === undefined) {
      id = this.names.size;
      this.names.set(st, id);
    }
    const name = `${family}${id}_${st.name.replace(/\W/g, '_')}`;
    if (!this.done.has(name)) {
      this.done.add(name);
      const gen = { S: this.genSize, E: this.genEncode, D: this.genDecode, Z: this.genDefault, I: this.genIsDefault }[family];
      this.fns.push(gen.call(this, name, st));
    }
    return name;
  }

  private v(prefix: string): string {
    return `${prefix}${this.uid++}`;
  }

  private where(st: StructLike, f: AnyField): string {
    return `${this.messageName}${st.name === this.messageName ? '' : ` (${st.name})`} field '${f.name}' at version ${this.version}`;
  }

  private plan(st: StructLike): FieldPlan[] {
    return st.fields.map((f) => {
      const present = inVersions(f.versions, this.version);
      const tagged = present && f.tag !== undefined && this.flexible && inVersions(f.taggedVersions, this.version);
      const def = this.defaultCode(f);
      return {
        field: f,
        prop: IDENT.test(f.name) ? `v.${f.name}` : `v[${JSON.stringify(f.name)}]`,
        present,
        tagged,
        nullable: present && inVersions(f.nullable, this.version),
        def,
        defIsNull: def === 'null',
      };
    });
  }

  /** JS expression for a field's default value. */
  defaultCode(f: AnyField): string {
    const t = f.type;
    const d = f.default;
    if (d === null) return 'null';
    switch (t.kind) {
      case 'int8': case 'int16': case 'int32': case 'uint16': case 'uint32': case 'float64':
        return d === undefined ? '0' : String(Number(d));
      case 'int64':
        return d === undefined ? '0n' : `${BigInt(d as bigint | number | string)}n`;
      case 'bool':
        return d === undefined ? 'false' : String(d === true || d === 'true');
      case 'string':
        return d === undefined ? "''" : JSON.stringify(String(d));
      case 'uuid':
        return JSON.stringify(d === undefined ? 'AAAAAAAAAAAAAAAAAAAAAA' : String(d));
      case 'bytes':
        return 'rt.EMPTY';
      case 'records':
        return f.nullable !== undefined && !parseVersions(f.nullable).empty ? 'null' : 'rt.EMPTY';
      case 'array':
        return '[]';
      case 'struct':
        return `${this.need('Z', t as StructType<unknown>)}()`;
    }
  }

  /**
   * JS expression: is `x` (never undefined) the default of this field? As in Kafka, null is the
   * default only when the declared default is null (a tagged null otherwise goes on the wire).
   */
  private isDefault(p: FieldPlan, x: string): string {
    const t = p.field.type;
    if (p.defIsNull) return `${x} === null`;
    switch (t.kind) {
      case 'bytes': case 'records':
        return `(${x} !== null && rt.recordsLength(${x}) === 0)`;
      case 'array':
        return `(${x} !== null && ${x}.length === 0)`;
      case 'struct':
        return `(${x} !== null && ${this.need('I', t as StructType<unknown>)}(${x}))`;
      default:
        return `${x} === ${p.def}`;
    }
  }

  private load(p: FieldPlan, x: string): string {
    return `${x} = ${p.prop}; if (${x} === undefined) ${x} = ${p.def};`;
  }

  // ---------------------------------------------------------------- size

  private genSize(name: string, st: StructLike): string {
    const plans = this.plan(st);
    const out: string[] = [`function ${name}(v, c) {`, '  let s = 0, x;'];
    for (const p of plans) {
      if (!p.present) {
        if (p.field.ignorable) continue;
        out.push(`  ${this.load(p, 'x')}`);
        out.push(`  if (!(${this.isDefault(p, 'x')})) throw new Error(${JSON.stringify(`${this.where(st, p.field)}: this version cannot carry a non-default value`)});`);
        continue;
      }
      if (p.tagged) continue;
      out.push(`  ${this.load(p, 'x')}`);
      out.push(...this.sizeOf(p.field.type, 'x', p.nullable, this.where(st, p.field), '  '));
    }
    if (this.flexible) out.push(...this.sizeTagged(st, plans));
    out.push('  return s;', '}');
    return out.join('\n');
  }

  private sizeTagged(st: StructLike, plans: FieldPlan[]): string[] {
    const tagged = plans.filter((p) => p.tagged).sort((a, b) => a.field.tag! - b.field.tag!);
    const out = ['  const cs = c.lens.length; c.lens.push(0); let tc = 0;'];
    for (const p of tagged) {
      const tag = p.field.tag!;
      out.push(`  ${this.load(p, 'x')}`);
      out.push(`  if (${this.isDefault(p, 'x')}) c.lens.push(-1); else {`);
      out.push('    const slot = c.lens.length; c.lens.push(0); const s0 = s;');
      out.push(...this.sizeOf(p.field.type, 'x', p.nullable, this.where(st, p.field), '    '));
      out.push(`    const ts = s - s0; c.lens[slot] = ts; s += ${uvarintSizeConst(tag)} + rt.uvarintSize(ts); tc++;`);
      out.push('  }');
    }
    out.push('  const u = v._unknownTags;');
    out.push('  if (u !== undefined && u !== null) for (const t of u) { s += rt.uvarintSize(t.tag) + rt.uvarintSize(t.data.length) + t.data.length; tc++; }');
    out.push('  c.lens[cs] = tc; s += rt.uvarintSize(tc);');
    return out;
  }

  /** Statements adding the wire size of `x` to `s`. */
  private sizeOf(t: Type<unknown>, x: string, nullable: boolean, where: string, ind: string): string[] {
    const flex = this.flexible;
    const nullErr = `throw new Error(${JSON.stringify(`${where}: null is not allowed in this version`)})`;
    const onNull = (nullSize: number) => (nullable ? `s += ${nullSize};` : nullErr + ';');
    const fixed = FIXED[t.kind];
    if (fixed !== undefined) {
      if (t.kind === 'int64') return [`${ind}if (typeof ${x} !== 'bigint') throw new TypeError(${JSON.stringify(`${where}: int64 needs a bigint`)});`, `${ind}s += 8;`];
      // UUID strings are validated while being written (writeUuid decodes them by hand).
      return [`${ind}s += ${fixed};`];
    }
    switch (t.kind) {
      case 'string': {
        const n = this.v('n');
        return [
          `${ind}if (${x} === null) ${onNull(flex ? 1 : 2)} else {`,
          `${ind}  const ${n} = rt.byteLength(${x});`,
          `${ind}  if (${n} > 32767) throw new Error(${JSON.stringify(`${where}: string longer than 32767 bytes`)});`,
          `${ind}  c.lens.push(${n}); s += ${flex ? `rt.uvarintSize(${n} + 1)` : '2'} + ${n};`,
          `${ind}}`,
        ];
      }
      case 'bytes': {
        const n = this.v('n');
        return [
          `${ind}if (${x} === null) ${onNull(flex ? 1 : 4)} else {`,
          `${ind}  const ${n} = ${x}.length;`,
          `${ind}  s += ${flex ? `rt.uvarintSize(${n} + 1)` : '4'} + ${n};`,
          `${ind}}`,
        ];
      }
      case 'records': {
        const n = this.v('n');
        return [
          `${ind}if (${x} === null) ${onNull(flex ? 1 : 4)} else {`,
          `${ind}  const ${n} = rt.recordsLength(${x});`,
          `${ind}  c.lens.push(${n}); if (${n} >= rt.INLINE) c.ext += ${n};`,
          `${ind}  s += ${flex ? `rt.uvarintSize(${n} + 1)` : '4'} + ${n};`,
          `${ind}}`,
        ];
      }
      case 'array': {
        const items = (t as { items: Type<unknown> }).items;
        const e = this.v('e');
        const itemFixed = FIXED[items.kind];
        const body =
          itemFixed !== undefined && items.kind !== 'uuid' && items.kind !== 'int64'
            ? [`${ind}  s += ${x}.length * ${itemFixed};`]
            : [`${ind}  for (const ${e} of ${x}) {`, ...this.sizeOf(items, e, false, `${where} (item)`, ind + '    '), `${ind}  }`];
        return [
          `${ind}if (${x} === null) ${onNull(flex ? 1 : 4)} else {`,
          `${ind}  if (!Array.isArray(${x})) throw new TypeError(${JSON.stringify(`${where}: expected an array`)});`,
          `${ind}  s += ${flex ? `rt.uvarintSize(${x}.length + 1)` : '4'};`,
          ...body,
          `${ind}}`,
        ];
      }
      case 'struct': {
        const fn = this.need('S', t as StructType<unknown>);
        return [`${ind}if (${x} === null) ${onNull(1)} else s += ${nullable ? '1 + ' : ''}${fn}(${x}, c);`];
      }
    }
    throw new Error(`unknown wire type ${t.kind}`);
  }

  // ---------------------------------------------------------------- encode

  private genEncode(name: string, st: StructLike): string {
    const plans = this.plan(st);
    const out: string[] = [`function ${name}(w, v) {`, '  let x;'];
    for (const p of plans) {
      if (!p.present || p.tagged) continue;
      out.push(`  ${this.load(p, 'x')}`);
      out.push(...this.encodeOf(p.field.type, 'x', p.nullable, '  '));
    }
    if (this.flexible) {
      const tagged = plans.filter((p) => p.tagged).sort((a, b) => a.field.tag! - b.field.tag!);
      out.push('  w.uvarint(w.len());');
      out.push('  const u = v._unknownTags; let ui = 0; const un = u === undefined || u === null ? 0 : u.length;');
      for (const p of tagged) {
        const tag = p.field.tag!;
        out.push('  {', '    const ts = w.len();', '    if (ts >= 0) {');
        out.push(`      while (ui < un && u[ui].tag < ${tag}) rt.writeRawTag(w, u[ui++]);`);
        out.push(`      w.uvarint(${tag}); w.uvarint(ts);`);
        out.push(`      ${this.load(p, 'x')}`);
        out.push(...this.encodeOf(p.field.type, 'x', p.nullable, '      ', true));
        out.push('    }', '  }');
      }
      out.push('  while (ui < un) rt.writeRawTag(w, u[ui++]);');
    }
    out.push('}');
    return out.join('\n');
  }

  /** `tagged`: the value sits in a tagged field, where a nullable struct's marker is a uvarint (0 = null). */
  private encodeOf(t: Type<unknown>, x: string, nullable: boolean, ind: string, tagged = false): string[] {
    const flex = this.flexible;
    const writeNull = flex ? 'w.uvarint(0);' : t.kind === 'string' ? 'w.int16(-1);' : 'w.int32(-1);';
    const pre = (body: string[]): string[] =>
      nullable ? [`${ind}if (${x} === null) ${writeNull} else {`, ...body.map((l) => '  ' + l), `${ind}}`] : body;
    if (READ[t.kind] !== undefined) return [`${ind}w.${READ[t.kind]}(${x});`];
    switch (t.kind) {
      case 'string': {
        const n = this.v('n');
        return pre([`${ind}const ${n} = w.len();`, `${ind}${flex ? `w.uvarint(${n} + 1)` : `w.int16(${n})`}; w.utf8(${x}, ${n});`]);
      }
      case 'bytes':
        return pre([`${ind}${flex ? `w.uvarint(${x}.length + 1)` : `w.int32(${x}.length)`}; w.copy(${x});`]);
      case 'records': {
        const n = this.v('n');
        return pre([`${ind}const ${n} = w.len();`, `${ind}${flex ? `w.uvarint(${n} + 1)` : `w.int32(${n})`}; w.records(${x}, ${n});`]);
      }
      case 'array': {
        const items = (t as { items: Type<unknown> }).items;
        const e = this.v('e');
        return pre([
          `${ind}${flex ? `w.uvarint(${x}.length + 1)` : `w.int32(${x}.length)`};`,
          `${ind}for (let i = 0; i < ${x}.length; i++) {`,
          `${ind}  const ${e} = ${x}[i];`,
          ...this.encodeOf(items, e, false, ind + '  '),
          `${ind}}`,
        ]);
      }
      case 'struct': {
        const fn = this.need('E', t as StructType<unknown>);
        if (!nullable) return [`${ind}${fn}(w, ${x});`];
        return [`${ind}if (${x} === null) ${tagged ? 'w.uvarint(0)' : 'w.int8(-1)'}; else { w.int8(1); ${fn}(w, ${x}); }`];
      }
    }
    throw new Error(`unknown wire type ${t.kind}`);
  }

  // ---------------------------------------------------------------- decode

  private genDecode(name: string, st: StructLike): string {
    const plans = this.plan(st);
    const out: string[] = [`function ${name}(r) {`];
    // Consecutive fixed-width fields are read as one run behind a single bounds check.
    let run: Array<{ v: string; kind: string }> = [];
    const flush = () => {
      out.push(...this.fixedRun(run));
      run = [];
    };
    plans.forEach((p, i) => {
      if (!p.present || p.tagged) out.push(`  let f${i} = ${p.def};`);
      else if (FIXED[p.field.type.kind] !== undefined) run.push({ v: `f${i}`, kind: p.field.type.kind });
      else {
        flush();
        out.push(...this.decodeInto(p.field.type, `f${i}`, p.nullable, '  ', true));
      }
    });
    flush();
    if (this.flexible) {
      out.push('  let u;');
      out.push('  const tn = r.taggedFieldCount();');
      out.push('  for (let ti = 0; ti < tn; ti++) {');
      out.push('    const te = r.taggedFieldHeader(); if (te < 0) break;');
      out.push('    switch (r.lastTag) {');
      plans.forEach((p, i) => {
        if (!p.tagged) return;
        out.push(`      case ${p.field.tag}: { const saved = r.pushEnd(te);`);
        out.push(...this.decodeInto(p.field.type, `f${i}`, p.nullable, '        ', false, true));
        out.push('        r.popEnd(te, saved); break; }');
      });
      out.push('      default: (u ??= []).push({ tag: r.lastTag, data: r.raw(te - r.pos) });');
      out.push('    }');
      out.push('  }');
    }
    const props = plans.map((p, i) => `${JSON.stringify(p.field.name)}: f${i}`).join(', ');
    if (this.flexible) {
      out.push(`  const o = { ${props} };`);
      out.push('  if (u !== undefined) o._unknownTags = u;');
      out.push('  return o;', '}');
    } else {
      out.push(`  return { ${props} };`, '}');
    }
    return out.join('\n');
  }

  /**
   * Reads a run of fixed-width fields: when the bytes are all there, straight from the buffer with one
   * bounds check; otherwise through the checked reader (which records the truncation).
   */
  private fixedRun(run: Array<{ v: string; kind: string }>): string[] {
    if (run.length === 0) return [];
    if (run.length === 1) return [`  let ${run[0]!.v} = r.${READ[run[0]!.kind]}();`];
    const total = run.reduce((n, f) => n + FIXED[f.kind]!, 0);
    const fast: string[] = [];
    let off = 0;
    for (const f of run) {
      fast.push(`    ${f.v} = ${inlineRead(f.kind, off)};`);
      off += FIXED[f.kind]!;
    }
    return [
      `  let ${run.map((f) => f.v).join(', ')};`,
      `  if (r.end - r.pos >= ${total}) {`,
      '    const b = r.buf, p = r.pos;',
      ...fast,
      `    r.pos = p + ${total};`,
      '  } else {',
      ...run.map((f) => `    ${f.v} = r.${READ[f.kind]}();`),
      '  }',
    ];
  }

  /** Minimum wire size of one value, used to bound array counts read from the wire. */
  private minSize(t: Type<unknown>, nullable: boolean): number {
    const fixed = FIXED[t.kind];
    if (fixed !== undefined) return fixed;
    if (t.kind === 'string') return this.flexible ? 1 : 2;
    if (t.kind === 'bytes' || t.kind === 'records' || t.kind === 'array') return this.flexible ? 1 : 4;
    if (nullable) return 1;
    let n = this.flexible ? 1 : 0;
    for (const f of (t as StructType<unknown>).fields) {
      if (!inVersions(f.versions, this.version)) continue;
      if (f.tag !== undefined && this.flexible && inVersions(f.taggedVersions, this.version)) continue;
      n += this.minSize(f.type, inVersions(f.nullable, this.version));
    }
    return n;
  }

  private readExpr(t: Type<unknown>, nullable: boolean, tagged = false): string | undefined {
    const flex = this.flexible;
    if (READ[t.kind] !== undefined) return `r.${READ[t.kind]}()`;
    switch (t.kind) {
      case 'string':
        return flex ? (nullable ? 'r.compactNullableString()' : 'r.compactString()') : nullable ? 'r.nullableString()' : 'r.string()';
      case 'bytes':
      case 'records':
        return flex ? (nullable ? 'r.compactNullableBytes()' : 'r.compactBytes()') : nullable ? 'r.nullableBytes()' : 'r.bytes()';
      case 'struct': {
        const fn = this.need('D', t as StructType<unknown>);
        if (!nullable) return `${fn}(r)`;
        // Kafka marks a nullable struct with an int8 (-1 = null), or a uvarint (0 = null) in a tagged field.
        return tagged ? `(r.uvarint() === 0 ? null : ${fn}(r))` : `(r.int8() < 0 ? null : ${fn}(r))`;
      }
    }
    return undefined;
  }

  /** Statements decoding one value into variable `x` (declared with `let` when `declare`). */
  private decodeInto(t: Type<unknown>, x: string, nullable: boolean, ind: string, declare: boolean, tagged = false): string[] {
    const lhs = declare ? `let ${x}` : x;
    const expr = this.readExpr(t, nullable, tagged);
    if (expr !== undefined) return [`${ind}${lhs} = ${expr};`];
    // array
    const items = (t as { items: Type<unknown> }).items;
    const min = Math.max(1, this.minSize(items, false));
    const n = this.v('n');
    const e = this.v('e');
    const lenCall = this.flexible
      ? nullable ? `r.compactNullableArrayLength(${min})` : `r.compactArrayLength(${min})`
      : nullable ? `r.nullableArrayLength(${min})` : `r.arrayLength(${min})`;
    const itemExpr = this.readExpr(items, false);
    const itemLines =
      itemExpr !== undefined
        ? [`${ind}    ${x}.push(${itemExpr});`]
        : [...this.decodeInto(items, e, false, ind + '    ', true), `${ind}    ${x}.push(${e});`];
    return [
      `${ind}${lhs};`,
      `${ind}{`,
      `${ind}  const ${n} = ${lenCall};`,
      `${ind}  if (${n} < 0) ${x} = null; else {`,
      `${ind}    ${x} = [];`,
      `${ind}    for (let i = 0; i < ${n} && r.error === null; i++) {`,
      ...itemLines.map((l) => '  ' + l),
      `${ind}    }`,
      `${ind}  }`,
      `${ind}}`,
    ];
  }

  // ---------------------------------------------------------------- defaults

  /**
   * Kafka compares a struct with a fresh default one, field by field (every field, whatever the
   * version), unknown tags included; a missing property counts as default.
   */
  private genIsDefault(name: string, st: StructLike): string {
    const checks = st.fields.map((f, i) => {
      const x = `x${i}`;
      const def = this.defaultCode(f);
      const prop = IDENT.test(f.name) ? `v.${f.name}` : `v[${JSON.stringify(f.name)}]`;
      let test: string;
      if (def === 'null') test = `${x} === null`;
      else if (f.type.kind === 'bytes' || f.type.kind === 'records') test = `(${x} !== null && rt.recordsLength(${x}) === 0)`;
      else if (f.type.kind === 'array') test = `(${x} !== null && ${x}.length === 0)`;
      else if (f.type.kind === 'struct') test = `(${x} !== null && ${this.need('I', f.type as StructType<unknown>)}(${x}))`;
      else test = `${x} === ${def}`;
      return `  const ${x} = ${prop}; if (${x} !== undefined && !(${test})) return false;`;
    });
    return [`function ${name}(v) {`, ...checks, '  const u = v._unknownTags;', '  return u === undefined || u === null || u.length === 0;', '}'].join('\n');
  }

  private genDefault(name: string, st: StructLike): string {
    const props = st.fields.map((f) => `${JSON.stringify(f.name)}: ${this.defaultCode(f)}`).join(', ');
    return `function ${name}() {\n  return { ${props} };\n}`;
  }
}
