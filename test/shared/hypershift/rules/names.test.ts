import t from 'tap'
import {
  dns1123SubdomainErrors,
  hostedControlPlaneNamespace,
  isDns1123Label,
  isDns1123Subdomain,
  validateClusterName,
  validateNamespace,
  validateNodePoolName
} from '../../../../shared/hypershift/rules/names.ts'

t.test('DNS-1123 predicates', async t => {
  t.ok(isDns1123Label('my-cluster-01'))
  t.notOk(isDns1123Label('My-Cluster'), 'upper case')
  t.notOk(isDns1123Label('-edge'), 'leading dash')
  t.notOk(isDns1123Label('a'.repeat(64)), 'too long')
  t.ok(isDns1123Subdomain('api.example.com'))
  t.notOk(isDns1123Subdomain('api..example.com'))
})

t.test('validateClusterName', async t => {
  t.same(validateClusterName('example'), [])
  t.same(validateClusterName(''), [{ field: 'body.name', message: 'must not be empty', constraint: 'required' }])
  const upper = validateClusterName('Example')
  t.equal(upper.length, 1)
  t.equal(upper[0].field, 'body.name')
  t.equal(upper[0].constraint, 'pattern')
  t.match(upper[0].message, /lowercase RFC 1123 label/)
  const long = validateClusterName('a'.repeat(64), 'input.name')
  t.same(long.map(e => [e.field, e.constraint]), [['input.name', 'maxLength']])
  t.match(long[0].message, 'no more than 63 characters')
  t.same(validateClusterName('clusters'), [{ field: 'body.name', message: '"clusters" is reserved: do not use it as a hosted cluster name', constraint: 'reserved' }])
})

t.test('validateNamespace', async t => {
  t.same(validateNamespace('clusters', 'example'), [])
  t.same(validateNamespace('example', 'example'), [{ field: 'body.namespace', message: 'must differ from the hosted cluster name', constraint: 'notEqual' }])
  t.equal(hostedControlPlaneNamespace('clusters', 'example'), 'clusters-example')
  const tooLong = validateNamespace('n'.repeat(30), 'c'.repeat(33))
  t.equal(tooLong.length, 1)
  t.equal(tooLong[0].constraint, 'maxLength')
  t.match(tooLong[0].message, /control plane namespace .* would be 64 characters/)
  t.same(validateNamespace('n'.repeat(30), 'c'.repeat(32)), [], '63 characters fit')
  t.same(validateNamespace('Bad_NS', 'example').map(e => e.constraint), ['pattern'])
})

t.test('validateNodePoolName and subdomains', async t => {
  t.same(validateNodePoolName('example-us-east-1a', 'body.name'), [])
  t.same(validateNodePoolName('pool_1').map(e => e.field), ['body.name'])
  t.same(dns1123SubdomainErrors('api.example.com', 'f'), [])
  t.same(dns1123SubdomainErrors('API.example.com', 'f').map(e => e.constraint), ['pattern'])
  t.same(dns1123SubdomainErrors('', 'f').map(e => e.constraint), ['required'])
  t.same(dns1123SubdomainErrors('a.'.repeat(127) + 'ab', 'f').map(e => e.constraint), ['maxLength'])
})
