import t from 'tap'
import { compileRule, compileSchemaRules } from '../../../../../services/sim/kube/validation/cel-compile.ts'
import { toCel, validateCel } from '../../../../../services/sim/kube/validation/cel.ts'
import type { Schema } from '../../../../../services/sim/kube/validation/types.ts'

function run (s: Schema, obj: unknown, old?: unknown): string[] {
  compileSchemaRules(s)
  return validateCel(s, toCel(obj, s, true), old === undefined ? undefined : toCel(old, s, true)).map(c => `${c.field}: ${c.message}`)
}

t.test('rules, messages, reasons and paths', async t => {
  const s: Schema = {
    type: 'object',
    'x-kubernetes-validations': [{ rule: 'has(self.spec)', message: 'spec is required' }],
    properties: {
      spec: {
        type: 'object',
        'x-kubernetes-validations': [
          { rule: 'self.min <= self.max' },
          { rule: 'self.max < 100', messageExpression: '"max " + string(self.max) + " is too big"' },
          { rule: '!has(self.forbidden)', message: 'forbidden is not allowed', reason: 'FieldValueForbidden', fieldPath: '.forbidden' }
        ],
        properties: {
          min: { type: 'integer' },
          max: { type: 'integer' },
          forbidden: { type: 'string' },
          labels: { type: 'object', additionalProperties: { type: 'string', 'x-kubernetes-validations': [{ rule: 'self.lowerAscii() == self', message: 'must be lowercase' }] } }
        }
      }
    }
  }
  t.same(run(s, { spec: { min: 1, max: 2 } }), [])
  t.same(run(s, { spec: { min: 300, max: 200, forbidden: 'x', labels: { 'a.b': 'Up' } } }), [
    'spec: Invalid value: "object": failed rule: self.min <= self.max',
    'spec: Invalid value: "object": max 200 is too big',
    'spec.forbidden: Forbidden: forbidden is not allowed',
    'spec.labels[a.b]: Invalid value: "string": must be lowercase'
  ])
  t.same(run(s, {}), ['<nil>: Invalid value: "object": spec is required'], 'root rules report <nil> like a nil field.Path')
})

t.test('transition rules need an old value', async t => {
  const s: Schema = {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        properties: {
          id: { type: 'string', 'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'id is immutable' }] },
          opt: { type: 'string', 'x-kubernetes-validations': [{ rule: '!oldSelf.hasValue() || oldSelf.value() == self', message: 'opt is immutable', optionalOldSelf: true }] },
          items: {
            type: 'array',
            'x-kubernetes-list-type': 'map',
            'x-kubernetes-list-map-keys': ['name'],
            items: { type: 'object', properties: { name: { type: 'string' }, v: { type: 'string', 'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'v is immutable' }] } } }
          }
        }
      }
    }
  }
  t.same(run(s, { spec: { id: 'a', opt: 'x' } }), [], 'create skips oldSelf rules; optionalOldSelf sees none()')
  t.same(run(s, { spec: { id: 'b', opt: 'y' } }, { spec: { id: 'a', opt: 'x' } }), ['spec.id: Invalid value: "string": id is immutable', 'spec.opt: Invalid value: "string": opt is immutable'])
  t.same(run(s, { spec: { items: [{ name: 'n2', v: 'new' }, { name: 'n1', v: 'changed' }] } }, { spec: { items: [{ name: 'n1', v: 'old' }] } }),
    ['spec.items[1].v: Invalid value: "string": v is immutable'], 'list-map items correlate by key, not index')
})

t.test('kubernetes libraries', async t => {
  const rules: Array<[string, unknown, boolean]> = [
    ['isCIDR(self) && cidr(self).ip().family() == 4 && cidr(self).prefixLength() <= 30', '10.0.0.0/16', true],
    ['cidr(self).containsIP("10.1.0.1")', '10.0.0.0/16', false],
    ['isIP(self) && ip(self).family() == 6', 'fd00::1', true],
    ['isURL(self) && url(self).getScheme() == "https" && url(self).getHost() == "example.com:8443"', 'https://example.com:8443/p', true],
    ['url(self).getQuery() == {}', 'https://example.com/?a=b', false],
    ['self.find("[0-9]+") == "42" && self.findAll("[a-z]") == ["a", "b"]', 'a42b', true],
    ['self.split("/", 2)[1] == "b/c"', 'a/b/c', true],
    ['self.replace("-", "_") == "a_b_c"', 'a-b-c', true],
    ['[3, 1, 2].max() == 3 && [1, 2, 3].isSorted() && [1, 2].sum() == 3', '', true],
    ['quantity(self).isGreaterThan(quantity("1Gi"))', '2Gi', true],
    ['isQuantity(self)', 'lots', false],
    ['!format.dns1123Label().validate(self).hasValue()', 'valid-name', true],
    ['format.dns1123Label().validate(self).hasValue()', 'Not_Valid', true],
    ['self.?missing.orValue("d") == "d"', {}, true]
  ]
  for (const [rule, value, expected] of rules) {
    const s: Schema = { 'x-kubernetes-validations': [{ rule }] }
    t.equal(run(s, value).length === 0, expected, rule)
  }
})

t.test('runtime errors are reported like cel-go; unsupported rules are skipped', async t => {
  const s: Schema = { type: 'string', 'x-kubernetes-validations': [{ rule: "self.split('/')[3] == 'x'", message: 'bad' }] }
  t.same(run(s, 'a/b'), ['<nil>: Invalid value: "string": index out of bounds: 3 evaluating rule: bad'])
  const unsupported = compileRule({ rule: 'self.semver().major() > 1' })
  t.match(unsupported.unsupported, /unsupported functions/)
  const broken = compileRule({ rule: 'self ==' })
  t.match(broken.unsupported, /compile error/)
  const skipped: Schema = { type: 'string', 'x-kubernetes-validations': [{ rule: 'self.semver().major() > 1' }] }
  t.same(run(skipped, 'x'), [], 'a rule the engine cannot run never fails an object')
})
