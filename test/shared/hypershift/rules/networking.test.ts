import t from 'tap'
import { cidrsOverlap, formatCidr, formatIp, parseCidr, parseIp, validateCidr, validateNetworking } from '../../../../shared/hypershift/rules/networking.ts'

t.test('parseIp / parseCidr', async t => {
  t.same(parseIp('10.0.0.1'), { family: 4, address: 0x0a000001n })
  t.equal(parseIp('256.0.0.1'), null)
  t.equal(parseIp('01.0.0.1'), null, 'leading zeros are ambiguous')
  t.same(parseIp('::1'), { family: 6, address: 1n })
  t.same(parseIp('fd01::'), { family: 6, address: 0xfd01n << 112n })
  t.same(parseIp('::ffff:10.0.0.1'), { family: 6, address: (0xffffn << 32n) | 0x0a000001n })
  t.equal(parseIp('1::2::3'), null)
  t.equal(parseIp('1:2:3:4:5:6:7'), null)
  t.equal(parseIp('g::1'), null)
  const c = parseCidr('10.132.0.0/14')
  t.ok(c)
  t.equal(c?.prefix, 14)
  t.equal(parseCidr('10.0.0.0'), null, 'prefix required')
  t.equal(parseCidr('10.0.0.0/33'), null)
  t.equal(parseCidr('fd02::/129'), null)
  t.equal(parseCidr('10.0.0.1/16')?.network, 0x0a000000n, 'network masks host bits')
})

t.test('format', async t => {
  t.equal(formatIp(6, 0xfd01n << 112n), 'fd01::')
  t.equal(formatIp(6, 1n), '::1')
  t.equal(formatIp(6, (1n << 112n) | 2n), '1::2')
  t.equal(formatIp(6, 0x00010002000300040005000600070008n), '1:2:3:4:5:6:7:8')
  const c = parseCidr('10.1.2.3/8')
  t.equal(c === null ? '' : formatCidr(c), '10.0.0.0/8')
})

t.test('cidrsOverlap', async t => {
  t.ok(cidrsOverlap('10.0.0.0/8', '10.132.0.0/14'), 'containment')
  t.ok(cidrsOverlap('10.132.0.0/14', '10.135.255.0/24'), 'edge inside')
  t.notOk(cidrsOverlap('10.132.0.0/14', '10.136.0.0/14'), 'adjacent')
  t.notOk(cidrsOverlap('10.0.0.0/8', 'fd01::/48'), 'families never overlap')
  t.ok(cidrsOverlap('fd01::/48', 'fd01:0:0:1::/64'))
  t.notOk(cidrsOverlap('bogus', '10.0.0.0/8'))
})

t.test('validateCidr', async t => {
  t.same(validateCidr('10.0.0.0/16', 'f'), [])
  t.same(validateCidr('10.0.0/16', 'f'), [{ field: 'f', message: '"10.0.0/16" is not a valid CIDR (expected e.g. 10.0.0.0/16 or fd01::/48)', constraint: 'format' }])
  t.same(validateCidr('10.0.0.1/16', 'f'), [{ field: 'f', message: '"10.0.0.1/16" has host bits set; did you mean 10.0.0.0/16?', constraint: 'format' }])
})

t.test('validateNetworking', async t => {
  t.same(validateNetworking({ clusterCidr: ['10.132.0.0/14'], serviceCidr: ['172.31.0.0/16'], machineCidr: ['10.0.0.0/16'] }), [])
  t.same(validateNetworking({}), [], 'defaults apply elsewhere')

  const overlap = validateNetworking({ clusterCidr: ['10.0.0.0/14'], machineCidr: ['10.0.0.0/16'] })
  t.same(overlap, [{ field: 'body.networking.machineCidr[0]', message: '10.0.0.0/16 overlaps clusterCidr[0] 10.0.0.0/14', constraint: 'overlap' }])

  const reserved = validateNetworking({ serviceCidr: ['100.64.0.0/12'] })
  t.same(reserved.map(e => [e.field, e.constraint]), [['body.networking.serviceCidr[0]', 'reserved']])
  t.match(reserved[0].message, '100.65.0.0/16')
  t.same(validateNetworking({ networkType: 'Calico', serviceCidr: ['100.64.0.0/12'] }), [], 'only OVN-Kubernetes reserves it')

  const clusterPrefix = validateNetworking({ clusterCidr: ['10.132.0.0/24'] })
  t.same(clusterPrefix.map(e => e.constraint), ['prefix'])
  t.match(clusterPrefix[0].message, 'per-node /23')

  const bigService = validateNetworking({ serviceCidr: ['172.0.0.0/11'] })
  t.same(bigService.map(e => [e.field, e.constraint]), [['body.networking.serviceCidr[0]', 'prefix']])
  t.same(validateNetworking({ serviceCidr: ['fd02::/108'], clusterCidr: ['fd01::/48'] }), [])
  t.same(validateNetworking({ serviceCidr: ['fd02::/107'], clusterCidr: ['fd01::/48'] }).map(e => e.constraint), ['prefix'])

  const sameFamily = validateNetworking({ clusterCidr: ['10.132.0.0/14', '10.200.0.0/14'] }, 'input')
  t.same(sameFamily.map(e => [e.field, e.constraint]), [['input.clusterCidr[1]', 'family']])

  const three = validateNetworking({ machineCidr: ['10.0.0.0/24', '10.0.1.0/24', 'fd00::/64'], clusterCidr: ['10.132.0.0/14', 'fd01::/48', '10.200.0.0/14'] })
  t.ok(three.some(e => e.field === 'body.networking.clusterCidr' && e.constraint === 'maxItems'))

  const mixed = validateNetworking({ clusterCidr: ['10.132.0.0/14', 'fd01::/48'], serviceCidr: ['172.31.0.0/16'] })
  t.same(mixed, [{ field: 'body.networking.serviceCidr', message: 'cluster and service networks must use the same IP families (both single-stack or both dual-stack)', constraint: 'family' }])

  t.same(validateNetworking({ clusterCidr: ['10.132.0.0/14', 'fd01::/48'], serviceCidr: ['172.31.0.0/16', 'fd02::/112'] }), [], 'dual stack')
  t.same(validateNetworking({ machineCidr: ['nope'] }).map(e => [e.field, e.constraint]), [['body.networking.machineCidr[0]', 'format']])
})
