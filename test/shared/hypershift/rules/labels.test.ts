import t from 'tap'
import { qualifiedNameErrors, validateAnnotations, validateLabels } from '../../../../shared/hypershift/rules/labels.ts'

t.test('qualified names', async t => {
  t.same(qualifiedNameErrors('hypershift.openshift.io/safe-to-delete-with-cluster', 'f'), [])
  t.same(qualifiedNameErrors('app', 'f'), [])
  t.same(qualifiedNameErrors('Bad_Prefix/x', 'f').map(e => e.constraint), ['pattern'])
  t.same(qualifiedNameErrors('/x', 'f').map(e => e.constraint), ['pattern'])
  t.same(qualifiedNameErrors('a/-x', 'f').map(e => e.constraint), ['pattern'])
  t.same(qualifiedNameErrors('x'.repeat(64), 'f').map(e => e.constraint), ['pattern'])
})

t.test('validateLabels', async t => {
  t.same(validateLabels({ team: 'a-b_c.d', empty: '' }, 'body.labels'), [])
  t.same(validateLabels({ team: 'has space' }, 'body.labels'), [{
    field: 'body.labels.team',
    message: "value must be at most 63 characters of alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric",
    constraint: 'pattern'
  }])
  t.same(validateLabels(undefined, 'f'), [])
})

t.test('validateAnnotations', async t => {
  t.same(validateAnnotations({ 'example.com/note': 'any value at all' }, 'body.annotations'), [])
  const big = validateAnnotations({ note: 'x'.repeat(256 * 1024) }, 'body.annotations')
  t.same(big.map(e => [e.field, e.constraint]), [['body.annotations', 'maxLength']])
})
