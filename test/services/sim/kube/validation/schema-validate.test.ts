import t from 'tap'
import { validateAgainstSchema } from '../../../../../services/sim/kube/validation/schema-validate.ts'
import type { Schema } from '../../../../../services/sim/kube/validation/types.ts'

function messages (s: Schema, value: unknown): string[] {
  return validateAgainstSchema(s, value).map(c => `${c.field}: ${c.message}`)
}

function spec (props: Record<string, Schema>, extra: Partial<Schema> = {}): Schema {
  return { type: 'object', properties: { spec: { type: 'object', properties: props, ...extra } } }
}

t.test('type', async t => {
  t.same(messages(spec({ replicas: { type: 'integer' } }), { spec: { replicas: 'two' } }),
    ['spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"'])
  t.same(messages(spec({ ratio: { type: 'number' } }), { spec: { ratio: 2 } }), [], 'integers are numbers')
  t.same(messages(spec({ n: { type: 'integer' } }), { spec: { n: 1.5 } }),
    ['spec.n: Invalid value: "number": spec.n in body must be of type integer: "number"'])
  t.same(messages(spec({ v: { 'x-kubernetes-int-or-string': true } }), { spec: { v: true } }),
    ['spec.v: Invalid value: "boolean": spec.v in body must be of type integer,string: "boolean"'])
  t.same(validateAgainstSchema(spec({ n: { type: 'integer' } }), { spec: { n: 'x' } })[0].reason, 'FieldValueTypeInvalid')
  t.same(messages(spec({ s: { type: 'string', nullable: true } }), { spec: { s: null } }), [], 'nullable accepts null')
  t.same(messages(spec({ l: { type: 'array', items: { type: 'string' } } }), { spec: { l: [null] } }),
    ['spec.l[0]: Invalid value: "null": spec.l[0] in body must be of type string: "null"'])
})

t.test('required and enum', async t => {
  t.same(messages(spec({ a: { type: 'string' } }, { required: ['a'] }), { spec: {} }), ['spec.a: Required value'])
  t.same(messages(spec({ p: { type: 'string', enum: ['AWS', 'Azure'] } }), { spec: { p: 'Foo' } }),
    ['spec.p: Unsupported value: "Foo": supported values: "AWS", "Azure"'])
  t.same(messages(spec({ n: { type: 'integer', enum: [1, 2] } }), { spec: { n: 3 } }),
    ['spec.n: Unsupported value: 3: supported values: "1", "2"'])
})

t.test('strings', async t => {
  t.same(messages(spec({ s: { type: 'string', maxLength: 3 } }), { spec: { s: 'abcd' } }), ['spec.s: Too long: may not be more than 3 bytes'])
  t.same(messages(spec({ s: { type: 'string', maxLength: 3 } }), { spec: { s: 'äöü' } }), [], 'length counts code points')
  t.same(messages(spec({ s: { type: 'string', maxLength: 1 } }), { spec: { s: '😀😀' } }), ['spec.s: Too long: may not be more than 1 byte'])
  t.same(messages(spec({ s: { type: 'string', minLength: 1 } }), { spec: { s: '' } }),
    ['spec.s: Invalid value: "": spec.s in body should be at least 1 chars long'])
  t.same(messages(spec({ s: { type: 'string', pattern: '^[a-z]+$' } }), { spec: { s: 'A1' } }),
    ['spec.s: Invalid value: "A1": spec.s in body should match \'^[a-z]+$\''])
  t.same(messages(spec({ s: { type: 'string', pattern: '(?i)^abc\\z' } }), { spec: { s: 'ABC' } }), [], 'RE2 flags and \\z')
  t.same(messages(spec({ s: { type: 'string', maxLength: 2, pattern: '^a$' } }), { spec: { s: 'bbb' } }),
    ['spec.s: Too long: may not be more than 2 bytes'], 'only the first string error, like kube-openapi')
})

t.test('formats', async t => {
  t.same(messages(spec({ t: { type: 'string', format: 'date-time' } }), { spec: { t: 'yesterday' } }),
    ['spec.t: Invalid value: "yesterday": spec.t in body must be of type date-time: "yesterday"'])
  t.same(messages(spec({ t: { type: 'string', format: 'date-time' } }), { spec: { t: '2024-01-01T00:00:00Z' } }), [])
  t.same(messages(spec({ u: { type: 'string', format: 'uuid' } }), { spec: { u: 'nope' } }).length, 1)
  t.same(messages(spec({ i: { type: 'string', format: 'ipv4' } }), { spec: { i: '10.0.0.256' } }).length, 1)
  t.same(messages(spec({ c: { type: 'string', format: 'cidr' } }), { spec: { c: '10.0.0.0/8' } }), [])
  t.same(messages(spec({ x: { type: 'string', format: 'made-up' } }), { spec: { x: 'anything' } }), [], 'unknown formats are ignored')
  t.same(messages(spec({ n: { type: 'integer', format: 'int32' } }), { spec: { n: 2 ** 40 } }), [], 'numeric formats are not validated')
})

t.test('numbers', async t => {
  t.same(messages(spec({ n: { type: 'integer', minimum: 1 } }), { spec: { n: 0 } }),
    ['spec.n: Invalid value: 0: spec.n in body should be greater than or equal to 1'])
  t.same(messages(spec({ n: { type: 'integer', maximum: 10, exclusiveMaximum: true } }), { spec: { n: 10 } }),
    ['spec.n: Invalid value: 10: spec.n in body should be less than 10'])
  t.same(messages(spec({ n: { type: 'number', minimum: 0.5, exclusiveMinimum: true } }), { spec: { n: 0.25 } }),
    ['spec.n: Invalid value: 0.25: spec.n in body should be greater than 0.5'])
  t.same(messages(spec({ n: { type: 'integer', multipleOf: 3 } }), { spec: { n: 4 } }),
    ['spec.n: Invalid value: 4: spec.n in body should be a multiple of 3'])
})

t.test('arrays and objects', async t => {
  t.same(messages(spec({ l: { type: 'array', maxItems: 1, items: { type: 'string' } } }), { spec: { l: ['a', 'b'] } }),
    ['spec.l: Too many: 2: must have at most 1 item'])
  t.same(messages(spec({ l: { type: 'array', minItems: 2, items: { type: 'string' } } }), { spec: { l: ['a'] } }),
    ['spec.l: Invalid value: 1: spec.l in body should have at least 2 items'])
  t.same(messages(spec({ l: { type: 'array', items: { type: 'object', properties: { t: { type: 'string', enum: ['A'] } } } } }), { spec: { l: [{ t: 'A' }, { t: 'B' }] } }),
    ['spec.l[1].t: Unsupported value: "B": supported values: "A"'])
  t.same(messages(spec({ m: { type: 'object', minProperties: 1 } }), { spec: { m: {} } }),
    ['spec.m: Invalid value: 0: spec.m in body should have at least 1 properties'])
  t.same(messages(spec({ m: { type: 'object', maxProperties: 1 } }), { spec: { m: { a: 1, b: 2 } } }),
    ['spec.m: Too many: 2: must have at most 1 item'])
  t.same(messages(spec({ m: { type: 'object', additionalProperties: { type: 'string', maxLength: 1 } } }), { spec: { m: { key: 'long' } } }),
    ['spec.m.key: Too long: may not be more than 1 byte'], 'map values are addressed with dots like kube-openapi')
  t.same(messages(spec({ l: { type: 'array', uniqueItems: true, items: { type: 'string' } } }), { spec: { l: ['a', 'a'] } }),
    ['spec.l: Invalid value: "": spec.l in body shouldn\'t contain duplicates'])
})

t.test('composition', async t => {
  const intOrString: Schema = { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }], pattern: '^\\d+%?$' }
  t.same(messages(spec({ v: intOrString }), { spec: { v: 5 } }), [])
  t.same(messages(spec({ v: intOrString }), { spec: { v: '10%' } }), [])
  t.same(messages(spec({ v: intOrString }), { spec: { v: 'x' } }), ['spec.v: Invalid value: "x": spec.v in body should match \'^\\d+%?$\''])
  t.same(messages(spec({ v: { type: 'string', allOf: [{ minLength: 2 }] } }), { spec: { v: 'a' } }),
    ['spec.v: Invalid value: "a": spec.v in body should be at least 2 chars long'])
  t.same(messages(spec({ v: { type: 'string', not: { enum: ['x'] } } }), { spec: { v: 'x' } }),
    ['<nil>: Invalid value: "": spec.v must not validate the schema (not)'])
  t.same(messages(spec({ v: { type: 'integer', oneOf: [{ minimum: 1 }, { minimum: 2 }] } }), { spec: { v: 3 } }),
    ['<nil>: Invalid value: "": spec.v must validate one and only one schema (oneOf)'])
})
