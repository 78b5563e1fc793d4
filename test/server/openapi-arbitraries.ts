/**
 * fast-check arbitraries from the API's own OpenAPI document (JSON Schema), for the fuzz suite:
 * values the schema describes, values one mutation away from them, and anything at all.
 */
import fc from 'fast-check';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Schema = any;

/** Text of every kind: printable, any code point (controls, bidi overrides, lone surrogates), and the odd ones. */
const text = (maxLength: number): fc.Arbitrary<string> =>
  fc.oneof(
    fc.string({ maxLength, unit: 'grapheme' }),
    fc.string({ maxLength, unit: 'binary' }),
    fc.constantFrom('', ' ', '\u202e', 'a\u0000b', '<script>alert(1)</script>', "'; DROP TABLE jobs; --", '%E0%A4%A', '\ud800', 'x'.repeat(maxLength + 1)),
  );

const URLS = ['https://hooks.example/in', 'http://127.0.0.1:8080/x', 'http://[::1]/', 'http://169.254.169.254/', 'ftp://x.example/', 'https://a.example:22/', 'not a url'];

/** Values described by the schema (mostly valid; refinements zod adds beyond JSON Schema may still refuse them). */
export function fromSchema(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || typeof schema !== 'object' || depth > 6) return fc.jsonValue({ maxDepth: 2 });
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(alternatives)) return fc.oneof(...alternatives.map((s: Schema) => fromSchema(s, depth + 1)));
  if (Array.isArray(schema.allOf) && schema.allOf.length) return fromSchema(schema.allOf[0], depth + 1);
  const types: string[] = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.length > 1) return fc.oneof(...types.map((t) => fromSchema({ ...schema, type: t }, depth)));
  switch (types[0]) {
    case 'object': {
      const props: Record<string, Schema> = schema.properties ?? {};
      const required = (schema.required ?? []).filter((k: string) => k in props);
      return fc.record(Object.fromEntries(Object.entries(props).map(([k, s]) => [k, fromSchema(s, depth + 1)])), { requiredKeys: required });
    }
    case 'array':
      return fc.array(fromSchema(schema.items, depth + 1), { minLength: schema.minItems ?? 0, maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? 4, 4)) });
    case 'string': {
      if (schema.format === 'email') return fc.oneof(fc.emailAddress(), fc.constantFrom('alice@example.com', 'shared@example.com'));
      if (schema.format === 'date-time') return fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
      if (schema.format === 'uri') return fc.constantFrom(...URLS);
      if (typeof schema.pattern === 'string') {
        try {
          const re = new RegExp(schema.pattern);
          return fc.stringMatching(re, { size: 'small' }).filter((s) => s.length <= (schema.maxLength ?? Infinity));
        } catch {
          // A pattern JavaScript cannot read: plain text instead.
        }
      }
      return fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.max(schema.minLength ?? 0, Math.min(schema.maxLength ?? 40, 40)), unit: 'grapheme' });
    }
    case 'integer': {
      const min = schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : (schema.minimum ?? -1_000_000);
      const max = schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : (schema.maximum ?? 1_000_000);
      return fc.integer({ min: Math.max(min, Number.MIN_SAFE_INTEGER), max: Math.min(max, Number.MAX_SAFE_INTEGER) });
    }
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** A value the schema describes, one with a field replaced or added, or any JSON at all. */
export function validAndInvalid(schema: Schema): fc.Arbitrary<unknown> {
  const valid = fromSchema(schema);
  const mutated = fc.tuple(valid, fc.oneof(fc.constantFrom(...Object.keys(schema?.properties ?? { x: 1 })), fc.string({ maxLength: 8 })), fc.oneof(fc.jsonValue({ maxDepth: 2 }), text(50))).map(([v, key, junk]) =>
    v && typeof v === 'object' && !Array.isArray(v) ? { ...v, [key]: junk } : junk,
  );
  return fc.oneof({ weight: 3, arbitrary: valid }, { weight: 2, arbitrary: mutated }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) });
}

/** A raw request body: JSON of the value, or something that is not JSON at all. */
export function bodyText(schema: Schema): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: validAndInvalid(schema).map((v) => JSON.stringify(v) ?? 'null') },
    { weight: 1, arbitrary: fc.constantFrom('', '{', '{"a":', 'null', '[]', '"text"', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{}}}') },
    { weight: 1, arbitrary: text(100) },
  );
}

/** A query-string value: as the schema says, or text of any kind. */
export const queryValue = (schema: Schema): fc.Arbitrary<string> =>
  fc.oneof(fromSchema(schema).map((v) => (typeof v === 'string' ? v : JSON.stringify(v) ?? '')), text(30));
